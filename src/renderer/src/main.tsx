// Entry point of the console: connect to the node (Electron IPC or WebSocket) and render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectBridge } from './api/connect';
import { App } from './App';
import './styles/base.css';
import './styles/shell.css';
import './styles/layout.css';
import './styles/tables.css';
import './styles/operations.css';
import './styles/map.css';
import './styles/speed-chart.css';
import './styles/replay.css';
import './styles/peers.css';
import './styles/records.css';
import './styles/audit.css';
import './styles/conflicts.css';
import './styles/evidence.css';
import './styles/fleet.css';

function boot(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App bridge={connectBridge()} />
    </StrictMode>,
  );
}

boot();
