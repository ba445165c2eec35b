import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HB_DUE, type HeartbeatMember, HeartbeatSweep, heartbeatSweep } from './heartbeat.ts'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

const hb = { interval: 1000, timeout: 500 }

function member(ping: () => boolean = () => true) {
  const m = {
    [HB_DUE]: 0,
    hbPing: vi.fn(ping),
    hbTerminate: vi.fn(),
  }
  return m satisfies HeartbeatMember
}

describe('HeartbeatSweep', () => {
  it('pings every interval while the peer answers (each up to one tick, a quarter of the shorter setting, late)', () => {
    const sweep = new HeartbeatSweep(hb)
    const m = member()
    sweep.add(m)
    vi.advanceTimersByTime(999)
    expect(m.hbPing).not.toHaveBeenCalled()
    vi.advanceTimersByTime(125)
    expect(m.hbPing).toHaveBeenCalledTimes(1)
    sweep.alive(m)
    vi.advanceTimersByTime(1125)
    expect(m.hbPing).toHaveBeenCalledTimes(2)
    sweep.alive(m)
    vi.advanceTimersByTime(1125)
    expect(m.hbPing).toHaveBeenCalledTimes(3)
    expect(m.hbTerminate).not.toHaveBeenCalled()
    sweep.remove(m)
  })

  it('terminates once the timeout passes without an answer, and stops pinging it', () => {
    const sweep = new HeartbeatSweep(hb)
    const m = member()
    sweep.add(m)
    vi.advanceTimersByTime(1125)
    expect(m.hbPing).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(374)
    expect(m.hbTerminate).not.toHaveBeenCalled()
    vi.advanceTimersByTime(126)
    expect(m.hbTerminate).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(10_000)
    expect(m.hbPing).toHaveBeenCalledTimes(1)
    expect(m.hbTerminate).toHaveBeenCalledTimes(1)
  })

  it('does not terminate when the peer answers after a ping', () => {
    const sweep = new HeartbeatSweep(hb)
    const m = member()
    sweep.add(m)
    vi.advanceTimersByTime(1125)
    sweep.alive(m)
    vi.advanceTimersByTime(800)
    expect(m.hbTerminate).not.toHaveBeenCalled()
    sweep.remove(m)
  })

  it('does not ping again while a ping is unanswered when the timeout is longer than the interval', () => {
    const sweep = new HeartbeatSweep({ interval: 1000, timeout: 2500 })
    const m = member()
    sweep.add(m)
    vi.advanceTimersByTime(3000)
    expect(m.hbPing).toHaveBeenCalledTimes(1)
    expect(m.hbTerminate).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    expect(m.hbTerminate).toHaveBeenCalledTimes(1)
  })

  it('awaits no answer when the ping could not be sent (or threw)', () => {
    const sweep = new HeartbeatSweep(hb)
    const refused = member(() => false)
    const throwing = member(() => {
      throw new Error('socket gone')
    })
    sweep.add(refused)
    sweep.add(throwing)
    vi.advanceTimersByTime(1800)
    expect(refused.hbPing).toHaveBeenCalledTimes(1)
    expect(throwing.hbPing).toHaveBeenCalledTimes(1)
    expect(refused.hbTerminate).not.toHaveBeenCalled()
    expect(throwing.hbTerminate).not.toHaveBeenCalled()
    sweep.remove(refused)
    sweep.remove(throwing)
  })

  it('keeps one timer for all its members and none once the last one left', () => {
    const sweep = new HeartbeatSweep(hb)
    const members = Array.from({ length: 100 }, () => member())
    for (const m of members) sweep.add(m)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(1125)
    for (const m of members) expect(m.hbPing).toHaveBeenCalledTimes(1)
    for (const m of members) sweep.remove(m)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('is shared by every connection with the same settings', () => {
    expect(heartbeatSweep({ interval: 30_000, timeout: 30_000 })).toBe(
      heartbeatSweep({ interval: 30_000, timeout: 30_000 })
    )
    expect(heartbeatSweep({ interval: 30_000, timeout: 10_000 })).not.toBe(
      heartbeatSweep({ interval: 30_000, timeout: 30_000 })
    )
  })
})
