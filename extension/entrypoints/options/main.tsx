import { render } from 'preact';
import { OptionsPage } from './options-page.js';

render(<OptionsPage />, document.getElementById('app')!);
