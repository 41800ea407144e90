// A course hands out a link with a question: the learner's guess is in it, the model's answer
// waits until the run ends, and then the guess stands beside the measured time.
import { expect, test } from '../fixtures';
import { finishedResult, notices, openPlayground, resultOf, runButton } from '../playground';

const guessField = (page: import('@playwright/test').Page, executor: string) =>
  page.getByRole('textbox', { name: `${executor} (s)`, exact: true });

test('a prediction from the link hides the model until the run ends, then stands beside the result', async ({
  page,
}) => {
  await openPlayground(
    page,
    'lab=hello&tasks=2&seconds=0.3&executors=sequential,event-loop&predict=event-loop:0.3',
  );
  await expect(page.locator('.projection')).toHaveText(
    "The model's projection is shown when the run ends: write your own prediction first.",
  );
  await expect(guessField(page, 'event-loop')).toHaveValue('0.3');
  await expect(guessField(page, 'sequential')).toHaveValue('');

  await runButton(page).click();
  // While it runs, the cards waiting their turn keep the model's figure to themselves.
  await expect(resultOf(page, 'event-loop')).toContainText('shown when the run ends');
  await finishedResult(page, 'sequential');
  await finishedResult(page, 'event-loop');

  const eventLoop = resultOf(page, 'event-loop');
  await expect(eventLoop).toContainText('You predicted 300 ms');
  await expect(eventLoop.getByText('Model predicts')).toBeVisible();
  await expect(eventLoop).not.toContainText('shown when the run ends');
  await expect(resultOf(page, 'sequential')).not.toContainText('You predicted');
  await expect(page.locator('.projection')).toContainText('Projected: sequential');

  // The learner's own guess goes to the address; one that is not a time is refused by name.
  await guessField(page, 'sequential').fill('0.65');
  await guessField(page, 'sequential').press('Tab');
  await expect(page).toHaveURL(/predict=event-loop:0\.3,sequential:0\.65(&|$)/);
  await guessField(page, 'event-loop').fill('soon');
  await guessField(page, 'event-loop').press('Tab');
  await expect(notices(page)).toContainText('Your prediction for event-loop: \u201csoon\u201d is not a time in seconds');
  await expect(page).toHaveURL(/predict=event-loop:0\.3,sequential:0\.65(&|$)/);
});
