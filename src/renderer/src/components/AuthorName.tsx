// An author (a node's key) as people read it: its name with the short key beside it, or only the
// short key when the author has not named itself (or its name has not synced here yet).
import { shortId } from '../lib/format';
import { type AuthorNames } from '../store/names-store';

export function AuthorName({ names, author, seq, strong = false }: { names: AuthorNames | null; author: string; seq?: number; strong?: boolean }) {
  const name = names?.[author];
  const key = `${shortId(author)}${seq === undefined ? '' : `#${seq}`}`;
  if (!name) {
    return (
      <code className="author-key" title={author}>
        {key}
      </code>
    );
  }
  return (
    <span className="author-name" title={author}>
      {strong ? <strong>{name}</strong> : name} <code className="muted">{key}</code>
    </span>
  );
}
