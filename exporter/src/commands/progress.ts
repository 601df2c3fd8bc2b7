import type { CommandIo } from './context';

/**
 * A progress indicator for slow queries: a spinner with the number of
 * queries answered, on stderr, only when stderr is a terminal (never in a
 * pipe, a log or a test). It appears after a short delay so fast answers
 * draw nothing, and clears its line when the work is done.
 */
export interface Progress {
  track<T>(work: Promise<T>): Promise<T>;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const DELAY_MS = 300;
const FRAME_MS = 100;

export function makeProgress(io: CommandIo, label: string): Progress {
  if (!io.stderrIsTty) {
    return { track: (work) => work, stop: () => undefined };
  }
  let started = 0;
  let finished = 0;
  let frame = 0;
  let drawn = false;
  let timer: NodeJS.Timeout | null = null;
  const draw = (): void => {
    drawn = true;
    io.stderr(`\r\u001b[K${FRAMES[frame++ % FRAMES.length]} ${label}: ${finished}/${started} answered`);
  };
  const clear = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
    if (drawn) io.stderr('\r\u001b[K');
    drawn = false;
  };
  let delay: NodeJS.Timeout | null = null;
  return {
    track<T>(work: Promise<T>): Promise<T> {
      started++;
      if (!timer && !delay) {
        delay = setTimeout(() => {
          delay = null;
          if (finished < started) {
            timer = setInterval(draw, FRAME_MS);
            timer.unref();
          }
        }, DELAY_MS);
        delay.unref();
      }
      return work.finally(() => {
        finished++;
        if (finished === started) {
          if (delay) clearTimeout(delay);
          delay = null;
          clear();
        }
      });
    },
    stop(): void {
      if (delay) clearTimeout(delay);
      delay = null;
      clear();
    },
  };
}
