import { parseArgs } from 'node:util';
import type { CreateRequestInput } from '@signoff/shared';
import { connect } from '@signoff/shared/agent';
import { SAMPLE_INPUTS } from '@signoff/shared/samples';
import { resolveHubUrl } from '../config.js';

/** One request of each kind, and both shapes of clarification, so a newcomer sees every view of the UI filled. */
const DEMO_REQUESTS: CreateRequestInput[] = [
  SAMPLE_INPUTS.approval,
  SAMPLE_INPUTS.clarification,
  SAMPLE_INPUTS.clarificationOptions,
  SAMPLE_INPUTS.edit,
  SAMPLE_INPUTS.escalation,
  SAMPLE_INPUTS.checkpoint,
  SAMPLE_INPUTS.external,
  SAMPLE_INPUTS.notify,
];

export const demoHelp = `signoff demo [--port N]

Sends one realistic request of each kind to the running hub and returns at once,
so every view of the extension and the window fills. Decide them from there.`;

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' } }, strict: true });
  const client = await connect({ agentId: 'demo', url: resolveHubUrl(values.port) });
  try {
    for (const input of DEMO_REQUESTS) {
      const request = await client.submit(input);
      console.log(`${request.kind.padEnd(13)} ${request.severity.padEnd(8)} ${request.id}  ${request.title}`);
    }
    console.log(`sent ${DEMO_REQUESTS.length} requests; decide them in the extension or the window`);
  } finally {
    client.close();
  }
  return 0;
}
