import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../testing/render';
import { ScreenHeader } from './ScreenHeader';

describe('ScreenHeader', () => {
  it('takes the focus to its h1 when the screen appears, with the secondary text inside the heading', () => {
    renderWithProviders(<ScreenHeader title="Wanjiru K. N." secondary="NEX-VKJK8-F9WY6-2" />);
    const heading = screen.getByRole('heading', { level: 1 });
    expect(heading).toHaveFocus();
    expect(heading).toHaveAttribute('tabindex', '-1');
    expect(heading).toHaveAccessibleName('Wanjiru K. N. NEX-VKJK8-F9WY6-2');
  });
});
