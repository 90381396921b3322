// The console shell: header, navigation and the current view, all reading one session of stores
// that lives as long as the page.
import { useEffect, useRef, useState } from 'react';
import { AppHeader } from './components/AppHeader';
import { ConnectionBanner } from './components/ConnectionBanner';
import { NavRail } from './components/NavRail';
import type { ConsoleBridge } from './store/connection-store';
import { createConsoleSession } from './store/console-session';
import { SessionProvider } from './store/session-context';
import { ThemeProvider } from './theme/use-theme';
import { ConflictsView } from './views/conflicts/ConflictsView';
import { EvidenceView } from './views/evidence/EvidenceView';
import { IngestView } from './views/ingest/IngestView';
import { OperationsView } from './views/operations/OperationsView';
import { NO_SELECTION, type MapCamera, type TruckSelection } from './views/operations/truck-selection';
import { PeersView } from './views/peers/PeersView';
import { RecordsView } from './views/records/RecordsView';
import { ReplayView } from './views/replay/ReplayView';
import { useHashView } from './views/use-hash-view';

export function App({ bridge }: { bridge: ConsoleBridge }) {
  const [session] = useState(() => createConsoleSession(bridge));
  useEffect(() => session.start(), [session]);
  const [view, navigate] = useHashView();
  // Held here so they survive switching away from Operations and back.
  const [selection, setSelection] = useState<TruckSelection>(NO_SELECTION);
  const cameraMemory = useRef<MapCamera | null>(null);

  return (
    <SessionProvider session={session}>
      <ThemeProvider>
        <div className="app">
          <AppHeader />
          <NavRail current={view} onNavigate={navigate} />
          <main className="app-main">
            <ConnectionBanner />
            <div className="app-view">
              {view === 'operations' ? (
                <OperationsView selection={selection} onSelectionChange={setSelection} cameraMemory={cameraMemory} onNavigate={navigate} />
              ) : view === 'replay' ? (
                <ReplayView />
              ) : view === 'peers' ? (
                <PeersView />
              ) : view === 'conflicts' ? (
                <ConflictsView />
              ) : view === 'evidence' ? (
                <EvidenceView />
              ) : view === 'ingest' ? (
                <IngestView />
              ) : (
                <RecordsView />
              )}
            </div>
          </main>
        </div>
      </ThemeProvider>
    </SessionProvider>
  );
}
