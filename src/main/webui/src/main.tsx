import { render } from 'preact';
import { App } from './app/App';
import { JoinPage } from './features/join/JoinPage';
import { currentPath, interceptLinks } from './lib/router';
import { applyStoredTheme } from './lib/theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/layout.css';

applyStoredTheme();
const root = document.getElementById('app')!;
root.textContent = '';
interceptLinks(root);
// /join/{token}: a guest's page, outside the signed-in console
const join = currentPath().match(/^\/join\/([^/]+)$/);
render(join ? <JoinPage token={decodeURIComponent(join[1])} /> : <App />, root);
