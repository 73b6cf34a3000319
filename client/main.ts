/** The SPA's entry: base styles, translations, preferences, then the router shell. */
import './app.css';
import { mount } from 'svelte';
import { setupI18n } from '../shared/i18n/index.ts';
import './lib/prefs.svelte.ts';
import App from './App.svelte';

setupI18n();
const target = document.getElementById('app');
if (target) mount(App, { target });
