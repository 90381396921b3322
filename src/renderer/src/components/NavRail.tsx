// The left navigation. Views are listed in views/view-registry.ts; adding one there adds it here.
import { VIEWS, type ViewId } from '../views/view-registry';
import { Icon } from './Icon';

export function NavRail({ current, onNavigate }: { current: ViewId; onNavigate: (view: ViewId) => void }) {
  return (
    <nav className="nav-rail" aria-label="Views">
      <ul>
        {VIEWS.map((view) => (
          <li key={view.id}>
            <a
              href={`#/${view.id}`}
              className={view.id === current ? 'nav-item is-active' : 'nav-item'}
              aria-current={view.id === current ? 'page' : undefined}
              data-testid={`nav-${view.id}`}
              onClick={(event) => {
                event.preventDefault();
                onNavigate(view.id);
              }}
            >
              <Icon name={view.icon} size={18} />
              <span className="nav-label">{view.label}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
