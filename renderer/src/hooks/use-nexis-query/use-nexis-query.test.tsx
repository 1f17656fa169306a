import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OfficerView } from '../../../../shared/ipc/auth';
import type { ModelStatusView } from '../../../../shared/ipc/scoring';
import { FakeNexisError } from '../../testing/fake-nexis';
import { renderWithProviders, testOfficer } from '../../testing/render';
import { useNexisMutation } from '../use-nexis-mutation';
import { useNexisQuery } from './use-nexis-query';

/** Two independent readers of the same channel, as two screens (a list and a count in the header) would be. */
function OfficerNames({ label }: { label: string }) {
  const { data, loading, error } = useNexisQuery('officers:list', {});
  return (
    <section aria-label={label}>
      {loading ? <p>Loading</p> : null}
      {error !== null ? <p role="alert">Failed</p> : null}
      <ul>
        {data?.map((officer) => (
          <li key={officer.id}>{officer.displayName}</li>
        ))}
      </ul>
    </section>
  );
}

function CreateOfficer() {
  const create = useNexisMutation('officers:create');
  return (
    <button
      type="button"
      disabled={create.pending}
      onClick={() =>
        void create.run({ username: 'new.officer', displayName: 'New Officer', role: 'officer', password: 'x' })
      }
    >
      Create
    </button>
  );
}

function ModelVersion() {
  const { data } = useNexisQuery('model:status', {});
  return <p>{data?.state === 'verified' ? 'Model loaded' : 'No model'}</p>;
}

const notInstalled: ModelStatusView = {
  state: 'not-installed',
  refusal: null,
  detail: 'No model package is installed.',
  source: null,
  modelId: null,
  modelVersion: null,
  modelHash: null,
  policyVersion: null,
  specHash: null,
  synthetic: null,
  signature: null,
  trustedKeyId: null,
  loadedAt: null,
  loadMs: null,
};

const existing: OfficerView = testOfficer('admin', { id: 'officer-first', displayName: 'First Admin' });

describe('useNexisQuery over the shared cache', () => {
  it('serves two components reading the same channel and input from one request', async () => {
    const { nexis } = renderWithProviders(
      <>
        <OfficerNames label="list" />
        <OfficerNames label="header" />
      </>,
      { handlers: { 'officers:list': () => [existing] } },
    );

    expect(await screen.findAllByText('First Admin')).toHaveLength(2);
    expect(nexis.callsTo('officers:list')).toHaveLength(1);
  });

  it('refetches the reads a mutation invalidates, and only those', async () => {
    const officers = [existing];
    const { nexis } = renderWithProviders(
      <>
        <OfficerNames label="list" />
        <ModelVersion />
        <CreateOfficer />
      </>,
      {
        handlers: {
          'officers:list': () => [...officers],
          'officers:create': (input) => {
            const created = testOfficer(input.role, {
              id: 'officer-second',
              username: input.username,
              displayName: input.displayName,
              mustChangePassword: true,
            });
            officers.push(created);
            return created;
          },
          'model:status': () => notInstalled,
        },
      },
    );
    await screen.findByText('First Admin');
    await screen.findByText('No model');

    await userEvent.click(screen.getByRole('button', { name: 'Create' }));

    expect(await screen.findByText('New Officer')).toBeInTheDocument();
    expect(nexis.callsTo('officers:list')).toHaveLength(2);
    expect(nexis.callsTo('model:status')).toHaveLength(1);
  });

  it('shows a failed read as an error state and one notification, however many components read it', async () => {
    const { authRefreshes } = renderWithProviders(
      <>
        <OfficerNames label="list" />
        <OfficerNames label="header" />
      </>,
      {
        handlers: {
          'officers:list': () => {
            throw new FakeNexisError('FORBIDDEN', 'Your role cannot see officer accounts.');
          },
        },
      },
    );

    await waitFor(() => expect(screen.getAllByText('Failed')).toHaveLength(2));
    expect(screen.getAllByText('Your role cannot see officer accounts.')).toHaveLength(1);
    expect(screen.queryByText('Loading')).not.toBeInTheDocument();
    // Not a session error: the auth state need not be re-read.
    expect(authRefreshes()).toBe(0);
  });

  it('re-reads the auth state when a read fails because the session is locked', async () => {
    const { authRefreshes } = renderWithProviders(<OfficerNames label="list" />, {
      handlers: {
        'officers:list': () => {
          throw new FakeNexisError('SESSION_LOCKED', 'The workstation is locked.');
        },
      },
    });

    await screen.findByText('Failed');
    expect(authRefreshes()).toBe(1);
  });
});
