import type { JoinerComparison } from './joiner-comparison.js';

/** The figures of one scale-out scenario (one learner group on the whole stream). */
export interface ScaleOutRun {
  /** e.g. 'K=2', 'K=3, one SIGKILLed', 'K=2 + 1 joining'. */
  readonly name: string;
  /** Learner processes started in all. */
  readonly instances: number;
  /** The group's prequential log loss: mean over ids of the last score's log loss. */
  readonly logLoss: number;
  /** logLoss / the single learner's (K=1) logLoss. */
  readonly ratioToSingle: number;
  /** Distinct event ids scored, and the events produced. */
  readonly distinctIds: number;
  readonly events: number;
  /** Score records (re-sent ones included) and how many of them were re-sent. */
  readonly records: number;
  readonly rescored: number;
  /** Score records per second from the first to the last score, and between the 10% and 90% quantiles. */
  readonly groupEventsPerSec: number;
  readonly steadyEventsPerSec: number;
  /** Per learner id: score records, their rate from its first to its last score, and its CPU seconds. */
  readonly perInstance: readonly { readonly learnerId: string; readonly scores: number; readonly eventsPerSec: number; readonly cpuSeconds: number }[];
  /** CPU seconds of all its learner processes (start-up and idle exit included). */
  readonly cpuSeconds: number;
  /** records / cpuSeconds: the work per CPU second, which the machine's load does not skew as much as the rates. */
  readonly eventsPerCpuSecond: number;
  /** From the first spawn to the last exit (includes start-up and the idle exit), seconds. */
  readonly wallSeconds: number;
  /** 1-minute load average when the scenario started. */
  readonly load1m: number;
}

/** Everything `group-bench` measured; printed as JSON and rendered by {@link renderScaleOutMarkdown}. */
export interface GroupBenchResult {
  readonly bench: 'group-scale-out';
  /** ISO time of the end of the run. */
  readonly generatedAt: string;
  /** The code: `git log -1` (short hash and subject) plus the modified tracked files, or GROUP_BENCH_BUILD, or 'unknown'. */
  readonly commit: string;
  /** Whether the CLI has `--mix-every` (model averaging across the group). */
  readonly cliMixing: boolean;
  /** Whether its score records carry `learnerId`. */
  readonly learnerIdInScores: boolean;
  readonly machine: {
    readonly cpuModel: string;
    readonly cores: number;
    readonly node: string;
    readonly loadAverage1mAtStart: number;
    readonly loadAverage1mAtEnd: number;
  };
  readonly config: {
    readonly events: number;
    readonly partitions: number;
    /** The stream, in words. */
    readonly stream: string;
    readonly learnerArgs: readonly string[];
    readonly idleSeconds: number;
    readonly sessionTimeoutMs: number;
    /** The largest acceptable ratio to the single learner's log loss (1.02). */
    readonly targetRatio: number;
  };
  readonly produce: { readonly seconds: number; readonly eventsPerSec: number };
  /** K = 1, 2, 3 (the first is the single learner). */
  readonly scaling: readonly ScaleOutRun[];
  /** K = 3 with `--mix off`: each instance keeps its own model (null when not run). */
  readonly noMix: ScaleOutRun | null;
  readonly kill: (ScaleOutRun & { readonly killed: string; readonly killedAtScores: number }) | null;
  readonly join:
    | (ScaleOutRun & {
        readonly joiner: string;
        readonly joinedAtScores: number;
        /** How many of the joiner's first scores are compared. */
        readonly window: number;
        /** How the joiner's scores were told apart: 'learnerId' or 'scores-out file'. */
        readonly attribution: string;
        readonly comparison: JoinerComparison;
      })
    | null;
  readonly benchSeconds: number;
}

const f4 = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const pct = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(2)}%` : 'n/a');

function verdict(run: ScaleOutRun, target: number): string {
  const all = run.distinctIds === run.events ? 'every id scored' : `**${int(run.events - run.distinctIds)} ids not scored**`;
  const q = Number.isFinite(run.ratioToSingle) && run.ratioToSingle <= target ? 'within target' : '**outside target**';
  return `${all}; ${q}`;
}

function row(run: ScaleOutRun, single: ScaleOutRun | undefined, target: number): string {
  const per = run.perInstance.map((p) => `${p.learnerId}: ${int(p.scores)} @ ${int(p.eventsPerSec)}/s, ${Number.isFinite(p.cpuSeconds) ? p.cpuSeconds.toFixed(1) : 'n/a'} CPU s`).join('<br>');
  const speedup = single === undefined ? NaN : run.steadyEventsPerSec / single.steadyEventsPerSec;
  return `| ${run.name} | ${f4(run.logLoss)} | ${f3(run.ratioToSingle)} (${pct(run.ratioToSingle)}) | ${int(run.distinctIds)} / ${int(run.events)} | ${int(run.rescored)} | ${int(run.steadyEventsPerSec)} (${int(run.groupEventsPerSec)}) | ${Number.isFinite(speedup) ? `${speedup.toFixed(2)}×` : 'n/a'} | ${int(run.eventsPerCpuSecond)} | ${per} | ${run.load1m.toFixed(2)} | ${verdict(run, target)} |`;
}

/**
 * The Markdown of `docs/scale-out.md` from a {@link GroupBenchResult}: how it was made, the machine,
 * one table of every scenario (log loss and its ratio to the single learner, ids scored, throughput,
 * per instance), the SIGKILL and join details, and what the figures mean on this machine.
 *
 * @param r - the bench's result
 * @param command - the command line that made it (shown in the document)
 * @example
 * writeFileSync('docs/scale-out.md', renderScaleOutMarkdown(result, 'pnpm bench:group'));
 */
export function renderScaleOutMarkdown(r: GroupBenchResult, command: string): string {
  const single = r.scaling[0];
  const target = r.config.targetRatio;
  const runs = [...r.scaling, ...(r.noMix === null ? [] : [r.noMix]), ...(r.kill === null ? [] : [r.kill]), ...(r.join === null ? [] : [r.join])];
  const out: string[] = [];
  out.push('# Scale-out: several learners in one consumer group (issue 8)', '');
  out.push(`Generated by \`${command}\` (\`apps/learner/src/bench/group-bench.ts\`) at ${r.generatedAt}; do not edit by hand, re-run it.`, '');
  out.push(`- Code: \`${r.commit}\`; model averaging across the group (\`--mix-every\`): **${r.cliMixing ? 'available (CLI defaults unless set below)' : 'not in this build: each instance learns only its own partitions'}**; scores carry \`learnerId\`: ${r.learnerIdInScores ? 'yes' : 'no'}.`);
  out.push(`- Machine: ${r.machine.cpuModel}, ${r.machine.cores} cores shared with other work; Node ${r.machine.node}; 1-minute load ${r.machine.loadAverage1mAtStart.toFixed(2)} at the start, ${r.machine.loadAverage1mAtEnd.toFixed(2)} at the end.`);
  out.push(`- Stream: ${int(r.config.events)} events, ${r.config.stream}, on a fresh ${r.config.partitions}-partition topic (produced in ${r.produce.seconds.toFixed(1)} s, ${int(r.produce.eventsPerSec)} events/s).`);
  out.push(`- Learners: \`logit run ${r.config.learnerArgs.join(' ')}\`, same group id and distinct learner ids per scenario, fresh scores/snapshot topics and group per scenario, \`--exit-on-idle ${r.config.idleSeconds}\`, \`--session-timeout-ms ${r.config.sessionTimeoutMs}\`.`);
  out.push('- Log loss: per event id, the log loss of its LAST score (a re-sent score after a crash replaces the first), averaged over ids: the group\'s prequential log loss. Target: ratio to K=1 ≤ ' + target.toFixed(2) + '.');
  out.push('- Throughput: score records per second between the 10% and 90% quantiles of the score timestamps (in brackets: first to last score, which includes the group joins and the first member consuming alone); events per learner CPU second: score records / the CPU time (user + system, from /proc, start-up and idle exit included) of all the scenario\'s learner processes.', '');
  out.push('| scenario | log loss | ratio to K=1 | ids scored / events | re-sent | group events/s 10–90% (whole) | speed-up vs K=1 | events per learner CPU s | per instance: scores @ events/s, CPU | load | result |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const run of runs) out.push(row(run, single, target));
  out.push('');
  if (r.kill !== null) {
    out.push('## SIGKILL', '');
    out.push(`Three instances; \`${r.kill.killed}\` was SIGKILLed once the scores topic held ${int(r.kill.killedAtScores)} records (${((100 * r.kill.killedAtScores) / r.config.events).toFixed(0)}% of the stream). The survivors got its partitions after the session timeout and replayed from the committed offsets: ${int(r.kill.rescored)} scores were re-sent, ${int(r.kill.distinctIds)} of ${int(r.kill.events)} ids have a score, log loss ${f4(r.kill.logLoss)} (${pct(r.kill.ratioToSingle)} against K=1).`, '');
  }
  if (r.join !== null) {
    const c = r.join.comparison;
    out.push('## An instance joining mid-stream', '');
    out.push(`Two instances started; \`${r.join.joiner}\` joined once the scores topic held ${int(r.join.joinedAtScores)} records. Its first ${int(c.joiner.scores)} scores (told apart by ${r.join.attribution}), against the other instances' scores over the same ${((c.joiner.toTimestamp - c.joiner.fromTimestamp) / 1000).toFixed(1)} s, and against the first ${int(c.freshModel?.scores ?? 0)} scores of a model from zero (the K=1 run's):`, '');
    out.push('| scores of | records | log loss |', '|---|---|---|');
    out.push(`| ${r.join.joiner}, its first ${int(r.join.window)} | ${int(c.joiner.scores)} | ${f4(c.joiner.logLoss)} |`);
    out.push(`| the others, same period | ${int(c.othersSamePeriod.scores)} | ${f4(c.othersSamePeriod.logLoss)} |`);
    out.push(`| a model from zero, its first ${int(r.join.window)} | ${int(c.freshModel?.scores ?? 0)} | ${f4(c.freshModel?.logLoss ?? NaN)} |`, '');
    const fromGroup = Number.isFinite(c.ratioToOthers) && c.ratioToOthers <= target && Number.isFinite(c.ratioToFresh) && c.ratioToFresh < 1;
    out.push(`Joiner / others: ${f3(c.ratioToOthers)}; joiner / model from zero: ${f3(c.ratioToFresh)}. ${fromGroup ? 'The joiner scored like the group from its first events: it started from the group\'s state.' : 'The joiner did not score like the group at first: it did not start from the group\'s state.'}`, '');
  }
  if (r.noMix !== null) {
    const withMix = r.scaling.find((x) => x.name === 'K=3');
    out.push('## Without model averaging', '');
    out.push(`The same three instances with \`--mix off\` (each keeps the model of its own partitions): log loss ${f4(r.noMix.logLoss)} (${pct(r.noMix.ratioToSingle)} against K=1)${withMix === undefined ? '' : `, against ${f4(withMix.logLoss)} (${pct(withMix.ratioToSingle)}) with averaging`}. On a stationary stream each replica converges on its own share of the events too, so the gap is small here; the joiner above is where averaging shows (a new instance starts from the group's model instead of from zero).`, '');
  }
  out.push('## Reading the figures', '');
  out.push(`This machine has ${r.machine.cores} cores, shared with the broker, the bench process and other work (load above), so K learner processes compete for the same cores: the group's throughput cannot grow linearly with K here; the per-instance rates show how the cores were split. The scenarios ran one after another at the loads shown, so their rates are not measured under equal conditions; the events per learner CPU second are the steadier comparison (the cost of the group's work, mixing included).`);
  const superLinear = runs.some((x) => x.steadyEventsPerSec / single.steadyEventsPerSec > r.machine.cores);
  if (superLinear) out.push(`A speed-up above ${r.machine.cores} on ${r.machine.cores} cores means that the K=1 run got less of the machine than the later ones, not super-linear scaling.`);
  out.push('The quality figures (log loss, every id scored) do not depend on the machine.');
  out.push('');
  out.push(`Whole run: ${r.benchSeconds.toFixed(0)} s.`, '');
  return out.join('\n');
}
