// Operations: the map, with the selected truck's speed chart docked under it, and the truck list
// and the peers' sync state beside it.
import { useMemo, useState, type RefObject } from 'react';
import type { FixDto } from '../../../../shared/api';
import { assignTruckColors } from '../../lib/truck-colors';
import { FleetMap } from '../../map/FleetMap';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { useNodeQuery } from '../../store/use-node-query';
import { AlertsPanel } from './AlertsPanel';
import type { ViewId } from '../view-registry';
import { FrontierPanel } from './FrontierPanel';
import { SpeedPanel } from './SpeedPanel';
import { TruckCard } from './TruckCard';
import { TruckList } from './TruckList';
import { toggleTruck, type MapCamera, type TruckSelection } from './truck-selection';

export interface OperationsViewProps {
  readonly selection: TruckSelection;
  readonly onSelectionChange: (next: TruckSelection) => void;
  readonly cameraMemory: RefObject<MapCamera | null>;
  readonly onNavigate: (view: ViewId) => void;
}

export function OperationsView({ selection, onSelectionChange, cameraMemory, onNavigate }: OperationsViewProps) {
  const fleet = useStore(useSession().fleet.store);
  const truckIds = fleet.tracks.map((t) => t.summary.truck).join('\n');
  // Colours depend only on which trucks exist, not on every fix.
  const colors = useMemo(() => assignTruckColors(truckIds ? truckIds.split('\n') : []), [truckIds]);
  const selectedTrack = fleet.tracks.find((t) => t.summary.truck === selection.truck) ?? null;
  const [chartCollapsed, setChartCollapsed] = useState(false);
  // Remembered with its truck: the chart can vanish (deselect, collapse) without a mouseleave, and
  // a ring must never outlive the chart point it stands for.
  const [hovered, setHovered] = useState<{ truck: string; fix: FixDto } | null>(null);
  const highlightedFix = hovered && !chartCollapsed && hovered.truck === selectedTrack?.summary.truck ? hovered.fix : null;
  // Alerts follow the fleet: asked again whenever it changes.
  const alerts = useNodeQuery('alerts', (s) => s.bridge.call('alerts.list', {}), ['fleet']);
  const nowMs = useNodeNow(5000);
  const openAlerts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const a of alerts.data?.alerts ?? []) if (a.ack === null) counts.set(a.truck, (counts.get(a.truck) ?? 0) + 1);
    return counts;
  }, [alerts.data]);

  return (
    <div className="operations">
      <section className="operations-map" aria-label="Fleet map">
        <div className="operations-map-stage">
          <FleetMap
            tracks={fleet.tracks}
            colors={colors}
            fleetLoaded={fleet.loaded}
            selection={selection}
            onSelectionChange={onSelectionChange}
            cameraMemory={cameraMemory}
            highlightedFix={highlightedFix}
            geofences={alerts.data?.geofences}
            openAlerts={openAlerts}
          />
          {selectedTrack ? (
            <TruckCard
              track={selectedTrack}
              color={colors.get(selectedTrack.summary.truck) ?? '#ffffff'}
              alerts={alerts.data?.alerts ?? []}
              onClose={() => onSelectionChange({ truck: null, following: false })}
            />
          ) : null}
        </div>
        {selectedTrack ? (
          <SpeedPanel
            track={selectedTrack}
            color={colors.get(selectedTrack.summary.truck) ?? '#ffffff'}
            collapsed={chartCollapsed}
            onToggleCollapsed={() => {
              setChartCollapsed((c) => !c);
              setHovered(null);
            }}
            onHoverFix={(fix) => setHovered((h) => (fix ? (h?.fix === fix ? h : { truck: selectedTrack.summary.truck, fix }) : null))}
          />
        ) : null}
      </section>
      <aside className="operations-side">
        <TruckList
          tracks={fleet.tracks}
          colors={colors}
          loaded={fleet.loaded}
          error={fleet.error}
          selection={selection}
          onPick={(truck) => onSelectionChange(toggleTruck(selection, truck))}
          openAlerts={openAlerts}
        />
        <AlertsPanel data={alerts.data} nowMs={nowMs} onPickTruck={(truck) => onSelectionChange({ ...selection, truck })} onChanged={alerts.refresh} />
        <FrontierPanel onOpenPeers={() => onNavigate('peers')} />
      </aside>
    </div>
  );
}
