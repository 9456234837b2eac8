// Entry point: global styles, then the app mounted into #app.
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('Switchboard: index.html has no #app element.');

export default mount(App, { target });
