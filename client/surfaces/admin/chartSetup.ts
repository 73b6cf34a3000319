/**
 * chart.js with only the parts the admin's charts use (bar charts), registered once. Imported dynamically by
 * BarChart.svelte, so chart.js loads only when a chart is on screen.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.color = '#374151';
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
Chart.defaults.font.size = 13;

export { Chart };
