import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders, testSession } from '../testing/render';
import { WorkstationShell } from './WorkstationShell';

// The real screens are replaced by small stand-ins: what is under test is the shell around them (lazy loading, the
// per-screen error boundary, navigation), not the screens.
const stand = vi.hoisted(() => ({
  referralsThrow: true,
  referralsMounts: 0,
  auditLoadFailures: 0,
}));

vi.mock('../screens/applicants', () => ({
  ApplicantsScreen: () => <h1>Applicant queue</h1>,
}));

vi.mock('../screens/referrals', () => ({
  ReferralsScreen: function ReferralsScreen() {
    useEffect(() => {
      stand.referralsMounts += 1;
    }, []);
    if (stand.referralsThrow) {
      // The message stands for applicant data that must never leave the renderer.
      throw new TypeError('Cannot read properties of undefined (Amina Wanjiru, 0712 345678)');
    }
    return <h1>Referrals for review</h1>;
  },
}));

// Stands for a chunk that fails to load (e.g. a file missing from a damaged install): the import rejects while
// `auditLoadFailures` is above zero.
vi.mock('../screens/audit', async () => {
  if (stand.auditLoadFailures > 0) {
    stand.auditLoadFailures -= 1;
    throw new TypeError('Failed to fetch dynamically imported module');
  }
  return { AuditScreen: () => <h1>Audit trail</h1> };
});

beforeEach(() => {
  stand.referralsThrow = true;
  stand.referralsMounts = 0;
  stand.auditLoadFailures = 0;
});

const RECOVERY_HEADING = { name: 'This screen stopped working', level: 1 } as const;

function renderShell() {
  return renderWithProviders(<WorkstationShell />, {
    session: testSession('supervisor'),
    handlers: { 'system:reportError': () => ({}) },
  });
}

async function open(label: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
}

describe('WorkstationShell', () => {
  it('loads the landing screen lazily and opens another screen from the navigation', async () => {
    renderShell();
    expect(await screen.findByRole('heading', { name: 'Applicant queue' })).toBeInTheDocument();
    stand.referralsThrow = false;
    await open('Referrals');
    expect(await screen.findByRole('heading', { name: 'Referrals for review' })).toBeInTheDocument();
  });

  it('shows the recovery view in place of a screen that throws, keeps header, navigation and session', async () => {
    // React logs every error a boundary catches; the test expects this one.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const view = renderShell();
    await screen.findByRole('heading', { name: 'Applicant queue' });

    await open('Referrals');

    expect(await screen.findByRole('heading', RECOVERY_HEADING)).toBeInTheDocument();
    expect(screen.getByText('Your session is still open and nothing you saved is lost.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload this screen' })).toBeInTheDocument();
    // The header still shows who is signed in, and the navigation still marks where the officer is.
    expect(screen.getByTestId('signed-in-officer')).toHaveTextContent('Test supervisor');
    expect(screen.getByRole('button', { name: 'Referrals' })).toHaveAttribute('aria-current', 'page');
    // Nothing about the session was touched: no sign-out, no re-read of the auth state.
    expect(view.nexis.callsTo('auth:signOut')).toEqual([]);
    expect(view.authRefreshes()).toBe(0);
    // The error text never reaches the screen.
    expect(document.body).not.toHaveTextContent('Amina');

    // The core is told which screen failed, the error's class and where: never its message.
    await waitFor(() => expect(view.nexis.callsTo('system:reportError')).toHaveLength(1));
    const report = view.nexis.callsTo('system:reportError')[0]?.input as Record<string, string>;
    expect(report).toEqual({ screen: 'referrals', errorName: 'TypeError', where: expect.any(String) as string });
    expect(report.where).toMatch(/^WorkstationShell\.test\.tsx:\d+:\d+$/);
    expect(JSON.stringify(view.nexis.calls)).not.toMatch(/Amina|0712/);

    // The navigation still works: the officer goes on to another screen.
    await open('Status');
    await open('Applicants');
    expect(await screen.findByRole('heading', { name: 'Applicant queue' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', RECOVERY_HEADING)).not.toBeInTheDocument();
  });

  it('"Reload this screen" mounts the failed screen afresh', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderShell();
    await screen.findByRole('heading', { name: 'Applicant queue' });
    await open('Referrals');
    await screen.findByRole('heading', RECOVERY_HEADING);
    expect(stand.referralsMounts).toBe(0);

    stand.referralsThrow = false;
    await userEvent.click(screen.getByRole('button', { name: 'Reload this screen' }));

    expect(await screen.findByRole('heading', { name: 'Referrals for review' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', RECOVERY_HEADING)).not.toBeInTheDocument();
    expect(stand.referralsMounts).toBe(1);
  });

  it('"Go to Applicants" leaves the failed screen for the landing screen', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderShell();
    await screen.findByRole('heading', { name: 'Applicant queue' });
    await open('Referrals');
    await screen.findByRole('heading', RECOVERY_HEADING);

    await userEvent.click(screen.getByRole('button', { name: 'Go to Applicants' }));

    expect(await screen.findByRole('heading', { name: 'Applicant queue' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Applicants' })).toHaveAttribute('aria-current', 'page');
  });

  it('lands a screen whose chunk fails to load in the same recovery view, and "Reload" loads it again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    stand.auditLoadFailures = 1;
    const view = renderShell();
    await screen.findByRole('heading', { name: 'Applicant queue' });

    await open('Audit trail');

    expect(await screen.findByRole('heading', RECOVERY_HEADING)).toBeInTheDocument();
    // (Vitest wraps the failed import in an Error of its own, so only the screen is certain here.)
    await waitFor(() =>
      expect(view.nexis.callsTo('system:reportError').map((call) => call.input)).toEqual([
        expect.objectContaining({ screen: 'audit' }),
      ]),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Reload this screen' }));

    expect(await screen.findByRole('heading', { name: 'Audit trail' })).toBeInTheDocument();
    expect(stand.auditLoadFailures).toBe(0);
  });
});
