// The fleet this node belongs to: who is in it, in which role, and (on an admin node) admitting
// and revoking nodes. An open node says plainly that anyone who can reach it may write to it.
import { useState, type FormEvent } from 'react';
import type { FleetInfoDto, FleetMemberDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { shortId } from '../../lib/format';
import { useNodeQuery } from '../../store/use-node-query';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from '../records/AppendResultNotice';
import { useAppendAction } from '../records/use-append-action';

const ROLE_LABEL: Readonly<Record<NonNullable<FleetInfoDto['selfRole']>, string>> = {
  admin: 'admin',
  member: 'member',
  revoked: 'revoked',
  not_admitted: 'not admitted yet',
};

export function FleetPanel() {
  const fleet = useNodeQuery('fleet', (s) => s.bridge.call('fleet.info', {}), ['node']);
  const info = fleet.data;
  if (fleet.error && !info) return <ErrorNotice error={fleet.error} context="Could not load the fleet" />;
  if (!info) return null;
  if (!info.fleetId) {
    return (
      <section className="panel fleet-panel fleet-open" aria-label="Fleet" data-testid="fleet-panel">
        <header className="panel-header">
          <h2>Fleet</h2>
          <span className="badge badge-warn">open node</span>
        </header>
        <p className="panel-note">
          This node belongs to no fleet: any node that can reach it may sync with it and write to it. To let only your own nodes in, create them with{' '}
          <code>mandala init --fleet NAME</code> (the first) and <code>mandala init --join FLEET_ID</code> (the others).
        </p>
      </section>
    );
  }
  const admin = info.selfRole === 'admin';
  return (
    <section className="panel fleet-panel" aria-label="Fleet" data-testid="fleet-panel">
      <header className="panel-header">
        <h2>
          Fleet {info.name ? <span className="fleet-name">{info.name}</span> : null}
          <span className="panel-count">{info.members.filter((m) => !m.revoked).length}</span>
        </h2>
        <span className="fleet-self">
          this node: <span className={info.selfRole === 'admin' || info.selfRole === 'member' ? 'badge badge-ok' : 'badge badge-warn'}>{ROLE_LABEL[info.selfRole ?? 'not_admitted']}</span>
          <code className="fleet-id" title={info.fleetId}>
            {shortId(info.fleetId)}
          </code>
        </span>
      </header>
      {!info.founded ? (
        <p className="panel-note">The fleet&apos;s first events have not reached this node yet. Sync with a node of the fleet once an admin has admitted this one.</p>
      ) : (
        <ul className="fleet-members">
          {info.members.map((m) => (
            <MemberRow key={m.node} member={m} isSelf={m.node === info.self} canRevoke={admin && !m.revoked && m.node !== info.self} />
          ))}
        </ul>
      )}
      {admin ? <AdmitForm /> : null}
    </section>
  );
}

function MemberRow({ member, isSelf, canRevoke }: { member: FleetMemberDto; isSelf: boolean; canRevoke: boolean }) {
  const { bridge } = useSession();
  const action = useAppendAction();
  const [confirming, setConfirming] = useState(false);
  const revoke = () => void action.run(() => bridge.call('fleet.revoke', { node: member.node })).then(() => setConfirming(false));
  return (
    <li className={member.revoked ? 'fleet-member is-revoked' : 'fleet-member'} data-testid="fleet-member" data-node={member.node}>
      <span className="fleet-member-name">
        {member.name ?? 'unnamed node'}
        {isSelf ? <span className="muted"> (this node)</span> : null}
      </span>
      <code title={member.node}>{shortId(member.node)}</code>
      {member.revoked ? (
        <span className="badge badge-bad" title={`revoked by ${shortId(member.revoked.by)}; its events up to seq ${member.revoked.upto} are kept`}>
          {member.revoked.upto > 0 ? `revoked after #${member.revoked.upto}` : 'revoked'}
        </span>
      ) : (
        <span className={member.role === 'admin' ? 'badge badge-form' : 'badge'}>{member.role}</span>
      )}
      {canRevoke ? (
        confirming ? (
          <span className="fleet-confirm">
            Revoke {member.name ?? shortId(member.node)}? Its feed is kept up to what this node holds.
            <button type="button" className="button button-danger" onClick={revoke} disabled={action.pending}>
              Revoke
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button button-small" onClick={() => setConfirming(true)}>
            Revoke…
          </button>
        )
      ) : null}
      <AppendResultNotice result={action.result} pending={action.pending} success="Revoked" />
    </li>
  );
}

function AdmitForm() {
  const { bridge } = useSession();
  const action = useAppendAction();
  const [node, setNode] = useState('');
  const [asAdmin, setAsAdmin] = useState(false);
  const id = node.trim().toLowerCase();
  const valid = /^[0-9a-f]{64}$/.test(id);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const answer = await action.run(() => bridge.call('fleet.admit', { node: id, admin: asAdmin }));
    if (answer?.ok) setNode('');
  };
  return (
    <form className="inline-form fleet-admit" onSubmit={(e) => void submit(e)} data-testid="fleet-admit-form">
      <div className="form-row">
        <span className="form-title">Admit a node</span>
        <label className="field field-wide">
          <span className="field-label">Node id (64 hex digits; `mandala info` prints it)</span>
          <input className="text-input" value={node} onChange={(e) => setNode(e.target.value)} placeholder="node id" name="node" spellCheck={false} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={asAdmin} onChange={(e) => setAsAdmin(e.target.checked)} /> as an admin
        </label>
        <button type="submit" className="button button-primary" disabled={!valid || action.pending}>
          Admit
        </button>
      </div>
      <AppendResultNotice result={action.result} pending={action.pending} success="Admitted" />
    </form>
  );
}
