/** What a runtime may be unable to do; each scenario that needs one names it, and is skipped with the reason. */
export const CAPABILITIES = {
  upgradeHeaders: 'headers set by middleware before the upgrade are sent on the 101 response',
  pipelinedFrames: 'frames a client sends in the same packet as its upgrade request are delivered',
} as const

/** The name of a capability a scenario can require. */
export type CapabilityName = keyof typeof CAPABILITIES

/** A declared capability: `false` plus the reason the runtime cannot do it. */
export type CapabilityDeclaration = true | { supported: false; reason: string }

/** The capabilities a harness declares; anything not declared is supported. */
export type Capabilities = Partial<Record<CapabilityName, CapabilityDeclaration>>

/** The capability report served by the fixture app at `GET /capabilities`. */
export type CapabilityReport = Record<CapabilityName, { supported: boolean; reason?: string }>

/** Expands a harness's declarations into the full report; a `false` without a reason is refused. */
export function capabilityReport(declared: Capabilities = {}): CapabilityReport {
  const report = {} as CapabilityReport
  for (const name of Object.keys(CAPABILITIES) as CapabilityName[]) {
    const d = declared[name]
    if (d === undefined || d === true) report[name] = { supported: true }
    else if (!d.reason)
      throw new Error(`capability ${name} is declared unsupported without a reason: give one.`)
    else report[name] = { supported: false, reason: d.reason }
  }
  return report
}
