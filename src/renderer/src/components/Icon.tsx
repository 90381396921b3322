// Inline line icons (no icon font: the console loads nothing from outside its own files).

const PATHS = {
  map: 'M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2Zm0 0v14m6-12v14',
  peers: 'M6 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Zm12 0a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Zm-6 13a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM7.5 7.5l3.5 8.7m5.5-8.7-3.5 8.7M8.5 5.5h7',
  records: 'M7 3h7l5 5v13H7V3Zm7 0v5h5M10 12h6m-6 4h6',
  warning: 'M12 4 2.5 20h19L12 4Zm0 6v4.5m0 3v.01',
  check: 'm5 12.5 4.5 4.5L19 7.5',
  crosshair: 'M12 3v4m0 10v4M3 12h4m10 0h4m-9 4a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z',
  frame: 'M4 9V4h5m6 0h5v5m0 6v5h-5m-6 0H4v-5',
  label: 'M4 6h11l5 6-5 6H4V6Z',
  layers: 'm12 4 9 5-9 5-9-5 9-5Zm-9 9.5 9 5 9-5',
  chevronDown: 'm6 9 6 6 6-6',
  chevronRight: 'm9 6 6 6-6 6',
  plus: 'M12 5v14M5 12h14',
  close: 'M6 6l12 12M18 6 6 18',
  conflicts: 'M6 3v4c0 4 6 5 6 9v5M18 3v4c0 4-6 5-6 9',
  evidence: 'M12 3 5 6v5c0 4.5 3 8.3 7 10 4-1.7 7-5.5 7-10V6l-7-3Zm-3.5 9 2.5 2.5 4.5-5',
  download: 'M12 4v11m-5-5 5 5 5-5M5 20h14',
  upload: 'M12 16V5m-5 5 5-5 5 5M5 20h14',
  pulse: 'M3 12h4l2-6 4 12 2-6h6',
  stepBack: 'M6 5v14M18 5 9 12l9 7V5Z',
  stepForward: 'M18 5v14M6 5l9 7-9 7V5Z',
  replay: 'M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4m2 1.5v5l4-2.5-4-2.5Z',
  sun: 'M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0-13v2m0 14v2M3 12h2m14 0h2M5.6 5.6 7 7m10 10 1.4 1.4M5.6 18.4 7 17M17 7l1.4-1.4',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5Z',
  auto: 'M12 20a8 8 0 1 0 0-16v16Zm0 0a8 8 0 1 1 0-16',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
