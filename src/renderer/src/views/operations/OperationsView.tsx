// Operations: the map, with the truck list and the peers' sync state beside it.
import { useMemo, type RefObject } from 'react';
import { assignTruckColors } from '../../lib/truck-colors';
import { FleetMap } from '../../map/FleetMap';
import { useStore } from '../../store/external-store';
import { useSession } from '../../store/session-context';
import type { ViewId } from '../view-registry';
import { FrontierPanel } from './FrontierPanel';
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

  return (
    <div className="operations">
      <section className="operations-map" aria-label="Fleet map">
        <FleetMap
          tracks={fleet.tracks}
          colors={colors}
          fleetLoaded={fleet.loaded}
          selection={selection}
          onSelectionChange={onSelectionChange}
          cameraMemory={cameraMemory}
        />
      </section>
      <aside className="operations-side">
        <TruckList
          tracks={fleet.tracks}
          colors={colors}
          loaded={fleet.loaded}
          error={fleet.error}
          selection={selection}
          onPick={(truck) => onSelectionChange(toggleTruck(selection, truck))}
        />
        <FrontierPanel onOpenPeers={() => onNavigate('peers')} />
      </aside>
    </div>
  );
}
