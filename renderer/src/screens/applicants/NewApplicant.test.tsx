import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Organisation } from '../../../../shared/ipc/system';
import { renderWithProviders, testSession } from '../../testing/render';
import { NewApplicant } from './NewApplicant';

const ORGANISATION: Organisation = {
  controllerName: 'Umoja Community Bank Ltd',
  contactEmail: 'dpo@umoja-bank.example',
  contactPhone: '+254 20 123 4567',
  address: 'Moi Avenue 12, Nairobi',
  jurisdiction: 'KE',
  policyUrl: 'https://umoja-bank.example/privacy',
};

const noop = (): void => undefined;

describe('NewApplicant', () => {
  it('says up front that the controller details are missing, where they are set, and whom to ask', async () => {
    renderWithProviders(<NewApplicant onCancel={noop} onRegistered={noop} onOpenExisting={noop} />, {
      handlers: { 'system:getOrganisation': () => null },
      session: testSession('officer'),
    });
    const alert = await screen.findByTestId('organisation-missing');
    expect(alert).toHaveTextContent("The bank's controller details are missing");
    expect(alert).toHaveTextContent('Organisation (data controller)');
    expect(alert).toHaveTextContent('Ask your administrator');
    // No form to fill in vain.
    expect(screen.queryByRole('textbox', { name: 'Full name' })).toBeNull();
  });

  it('shows the personal data form once the controller details exist', async () => {
    renderWithProviders(<NewApplicant onCancel={noop} onRegistered={noop} onOpenExisting={noop} />, {
      handlers: { 'system:getOrganisation': () => ORGANISATION },
    });
    expect(await screen.findByRole('textbox', { name: 'Full name' })).toBeInTheDocument();
    expect(screen.queryByTestId('organisation-missing')).toBeNull();
  });
});
