import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app') as HTMLElement;
root.textContent = ''; // the static "Loading…" line of index.html
render(<App />, root);
