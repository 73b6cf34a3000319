/**
 * chart.js with only the parts the satisfaction chart uses (a horizontal stacked bar chart), registered once.
 * Imported dynamically by SatisfactionChart.svelte, so chart.js is not part of the panel's initial JavaScript.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.color = '#374151';
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
Chart.defaults.font.size = 14;

export { Chart };
