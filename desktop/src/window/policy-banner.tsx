import type { PolicyStatus } from '@signoff/shared';
import { visibleText } from '@signoff/shared/ui';

/** The policy file's name as the person knows it (`policy.yaml`), from the path the hub reports. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || 'policy.yaml';
}

/**
 * What the window warns about the hub's policy: an invalid file (the hub keeps the
 * last good policy, and says how many rules it holds), and each guardrail turned off.
 * Empty when all is well or the status is not known yet.
 */
export function policyBannerLines(status: PolicyStatus | null): { tone: 'error' | 'warn'; text: string }[] {
  if (!status) return [];
  const name = fileName(status.file);
  const lines: { tone: 'error' | 'warn'; text: string }[] = [];
  if (status.error !== null) {
    const rules = status.rules === 1 ? '1 rule' : `${status.rules} rules`;
    lines.push({ tone: 'error', text: `${name} is invalid: ${status.error}. The hub keeps the last good policy (${rules}).` });
  }
  for (const [id, on] of Object.entries(status.guardrails)) {
    if (!on) lines.push({ tone: 'warn', text: `Guardrail ${id} is off in ${name}.` });
  }
  return lines;
}

/** The banners of {@link policyBannerLines}, above the queue and dashboard. */
export function PolicyBanner({ status }: { status: PolicyStatus | null }) {
  const lines = policyBannerLines(status);
  if (lines.length === 0) return null;
  return (
    <div class="sw-policy-banners">
      {lines.map((line) => (
        <p key={line.text} class={`so-banner so-banner-${line.tone}`} role={line.tone === 'error' ? 'alert' : 'status'}>
          {visibleText(line.text)}
        </p>
      ))}
    </div>
  );
}
