// A record's files: each with its size and type, a download (and a preview for a photo) once
// its bytes are on this node (they follow the record over the LAN; a radio link carries only the
// name), and a picker to attach another. Files are read in the browser and handed to the node; nothing leaves the console.
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { ApiErrorDto, AttachmentDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { formatBytes, formatCount } from '../../lib/format';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from './AppendResultNotice';
import { useAppendAction } from './use-append-action';

/** What the node takes (node/attachments/blob-store.ts). */
const MAX_BYTES = 3_000_000;

function base64Of(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function RecordAttachments({ recordId, attachments }: { recordId: string; attachments: readonly AttachmentDto[] }) {
  const { records, bridge } = useSession();
  const action = useAppendAction();
  const input = useRef<HTMLInputElement>(null);
  const [tooBig, setTooBig] = useState<ApiErrorDto | null>(null);
  const [downloadError, setDownloadError] = useState<ApiErrorDto | null>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    setTooBig(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setTooBig({ code: 'file_too_large', message: `${file.name} is ${formatBytes(file.size)}; an attachment may be at most ${formatBytes(MAX_BYTES)} (photos: send a smaller copy)` });
      return;
    }
    const dataBase64 = base64Of(await file.arrayBuffer());
    await action.run(() => records.attach({ recordId, name: file.name, mime: file.type || 'application/octet-stream', dataBase64 }));
  };

  // A photo shown under its row (one at a time): its object URL, let go when it closes.
  const [preview, setPreview] = useState<{ readonly key: string; readonly url: string } | null>(null);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview.url) : undefined), [preview]);

  const fetchFile = async (a: AttachmentDto): Promise<string | null> => {
    setDownloadError(null);
    try {
      const got = await bridge.call('records.attachment', { blobHash: a.blobHash });
      return URL.createObjectURL(new Blob([bytesOf(got.dataBase64)], { type: a.mime || 'application/octet-stream' }));
    } catch (e) {
      setDownloadError(describeError(e));
      return null;
    }
  };

  const togglePreview = async (a: AttachmentDto, key: string) => {
    if (preview?.key === key) return setPreview(null);
    const url = await fetchFile(a);
    if (url) setPreview({ key, url });
  };

  const download = async (a: AttachmentDto) => {
    const url = await fetchFile(a);
    if (!url) return;
    const link = document.createElement('a');
    link.href = url;
    link.download = a.name;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="record-section" data-testid="record-attachments">
      <h3>
        Attachments <span className="panel-count">{formatCount(attachments.length)}</span>
      </h3>
      {attachments.length === 0 ? (
        <p className="inline-empty">No files yet. Attach a photo of a delivery note, a signed form, a PDF (up to {formatBytes(MAX_BYTES)}).</p>
      ) : (
        <ul className="attachments-list">
          {attachments.map((a) => {
            const here = a.chunks !== null && a.chunksHeld >= a.chunks;
            const key = `${a.name}:${a.blobHash}`;
            const shown = preview?.key === key;
            return (
              <li key={key} className="attachment" data-testid="attachment" data-name={a.name} data-here={String(here)}>
                <span className="attachment-name">{a.name}</span>
                <span className="muted">
                  {formatBytes(a.size)}
                  {a.mime ? ` · ${a.mime}` : ''}
                </span>
                {here ? (
                  <span className="attachment-actions">
                    {a.mime.startsWith('image/') ? (
                      <button type="button" className="button button-small" aria-pressed={shown} onClick={() => void togglePreview(a, key)}>
                        {shown ? 'Hide' : 'Preview'}
                      </button>
                    ) : null}
                    <button type="button" className="button button-small" onClick={() => void download(a)}>
                      Download
                    </button>
                  </span>
                ) : (
                  <span className="badge badge-warn" title="The file's bytes travel over the LAN from the node that attached it; a radio link carries only its name">
                    {a.chunks === null ? 'not here yet' : `${Math.floor((a.chunksHeld / a.chunks) * 100)}% here`}
                  </span>
                )}
                {shown ? <img className="attachment-preview" src={preview.url} alt={a.name} data-testid="attachment-preview" /> : null}
              </li>
            );
          })}
        </ul>
      )}
      {downloadError ? <ErrorNotice error={downloadError} context="Not downloaded" compact /> : null}
      {tooBig ? <ErrorNotice error={tooBig} context="Not attached" compact /> : null}
      <div className="form-actions">
        <AppendResultNotice result={action.result} pending={action.pending} success="File attached" />
        <input ref={input} type="file" className="visually-hidden" onChange={(e) => void pick(e)} data-testid="attach-file-input" aria-label="Attach a file" />
        <button type="button" className="button" disabled={action.pending} onClick={() => input.current?.click()} data-testid="attach-file">
          Attach file…
        </button>
      </div>
    </section>
  );
}
