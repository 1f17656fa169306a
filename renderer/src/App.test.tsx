import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { installFakeNexis } from './testing/fake-nexis';
import { testSession } from './testing/render';

const stand = vi.hoisted(() => ({ shellThrows: true }));

// The shell itself is outside every screen's boundary: an error in it reaches the app's boundary.
vi.mock('./shell/WorkstationShell', () => ({
  WorkstationShell: function WorkstationShell() {
    if (stand.shellThrows) {
      throw new RangeError('Invalid time value for Amina Wanjiru');
    }
    return <h1>Workstation open</h1>;
  },
}));

beforeEach(() => {
  stand.shellThrows = true;
});

describe('App error boundary', () => {
  it('catches an error outside the screens, reports it, and starts again still signed in', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const nexis = installFakeNexis({
      'auth:status': () => ({ setupRequired: false, deviceId: 'test-device', session: testSession('officer') }),
      'system:reportError': () => ({}),
    });
    render(<App />);

    expect(await screen.findByRole('heading', { name: 'The workstation stopped working' })).toBeInTheDocument();
    expect(screen.getByText('Nothing you saved is lost. Start it again to carry on where you were.')).toBeVisible();
    expect(document.body).not.toHaveTextContent('Amina');
    await waitFor(() =>
      expect(nexis.callsTo('system:reportError').map((call) => call.input)).toEqual([
        { screen: 'app', errorName: 'RangeError', where: expect.stringMatching(/^App\.test\.tsx:\d+:\d+$/) as string },
      ]),
    );

    stand.shellThrows = false;
    await userEvent.click(screen.getByRole('button', { name: 'Start again' }));

    // The providers mount afresh and read the session from the core: it is still open, no sign-in screen.
    expect(await screen.findByRole('heading', { name: 'Workstation open' })).toBeInTheDocument();
    expect(nexis.callsTo('auth:status')).toHaveLength(2);
    expect(nexis.callsTo('auth:signOut')).toEqual([]);
  });
});
