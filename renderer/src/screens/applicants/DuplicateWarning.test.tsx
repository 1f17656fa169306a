import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../testing/render';
import { DuplicateWarning } from './DuplicateWarning';

const MATCH = {
  applicantId: 'NEX-VKJK8-F9WY6-2',
  maskedName: 'Wanjiru K. N.',
  createdAt: '2026-01-05T08:00:00.000Z',
  matchedOn: ['nationalId', 'phone'] as ('nationalId' | 'phone')[],
};

describe('DuplicateWarning', () => {
  it('names the existing applicant and makes the officer choose: open it, or continue with a different person', async () => {
    const onOpen = vi.fn();
    const onContinue = vi.fn();
    renderWithProviders(
      <DuplicateWarning matches={[MATCH]} onOpen={onOpen} onContinue={onContinue} onBack={vi.fn()} />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'This applicant may already be registered' });
    expect(dialog).toHaveTextContent('Wanjiru K. N.');
    expect(dialog).toHaveTextContent('NEX-VKJK8-F9WY6-2');
    expect(dialog).toHaveTextContent('Same national id and phone number');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Open NEX-VKJK8-F9WY6-2' }));
    expect(onOpen).toHaveBeenCalledWith('NEX-VKJK8-F9WY6-2');
    await user.click(screen.getByRole('button', { name: 'Continue: a different person' }));
    expect(onContinue).toHaveBeenCalledTimes(1);
  });

  it('is not shown when nothing matches', () => {
    renderWithProviders(<DuplicateWarning matches={[]} onOpen={vi.fn()} onContinue={vi.fn()} onBack={vi.fn()} />);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
