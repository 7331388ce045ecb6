import { render } from 'preact';
import { App } from './app/App';
import { interceptLinks } from './lib/router';
import { applyStoredTheme } from './lib/theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/layout.css';

applyStoredTheme();
const root = document.getElementById('app')!;
root.textContent = '';
interceptLinks(root);
render(<App />, root);
