import { useEffect, useState } from 'preact/hooks';

/**
 * The time now, ticking every `intervalMs`: it drives countdowns and live waits.
 * @param intervalMs @default 1000
 */
export function useClock(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
