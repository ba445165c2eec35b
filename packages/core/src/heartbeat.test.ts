import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startHeartbeat } from './heartbeat.ts'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

const hb = { interval: 1000, timeout: 500 }

describe('startHeartbeat', () => {
  it('pings once every interval while the peer answers', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    const beat = startHeartbeat(hb, ping, terminate)
    vi.advanceTimersByTime(999)
    expect(ping).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ping).toHaveBeenCalledTimes(1)
    beat.alive()
    vi.advanceTimersByTime(1000)
    expect(ping).toHaveBeenCalledTimes(2)
    beat.alive()
    vi.advanceTimersByTime(1000)
    expect(ping).toHaveBeenCalledTimes(3)
    expect(terminate).not.toHaveBeenCalled()
    beat.stop()
  })

  it('terminates once the timeout passes without alive()', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    startHeartbeat(hb, ping, terminate)
    vi.advanceTimersByTime(1000)
    expect(ping).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(499)
    expect(terminate).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(terminate).toHaveBeenCalledTimes(1)
  })

  it('stops pinging after it terminated', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    startHeartbeat(hb, ping, terminate)
    vi.advanceTimersByTime(1500)
    expect(terminate).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(10_000)
    expect(ping).toHaveBeenCalledTimes(1)
    expect(terminate).toHaveBeenCalledTimes(1)
  })

  it('does not terminate when alive() follows a ping', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    const beat = startHeartbeat(hb, ping, terminate)
    vi.advanceTimersByTime(1000)
    vi.advanceTimersByTime(400)
    beat.alive()
    vi.advanceTimersByTime(599)
    expect(ping).toHaveBeenCalledTimes(1)
    expect(terminate).not.toHaveBeenCalled()
    beat.stop()
  })

  it('does not ping again while a ping is unanswered when the timeout is longer than the interval', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    startHeartbeat({ interval: 1000, timeout: 2500 }, ping, terminate)
    vi.advanceTimersByTime(3499)
    expect(ping).toHaveBeenCalledTimes(1)
    expect(terminate).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(terminate).toHaveBeenCalledTimes(1)
  })

  it('starts no timeout when ping throws', () => {
    const ping = vi.fn(() => {
      throw new Error('socket gone')
    })
    const terminate = vi.fn()
    const beat = startHeartbeat(hb, ping, terminate)
    vi.advanceTimersByTime(1800)
    expect(ping).toHaveBeenCalledTimes(1)
    expect(terminate).not.toHaveBeenCalled()
    beat.stop()
  })

  it('stops pings when stop() is called', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    const beat = startHeartbeat(hb, ping, terminate)
    beat.stop()
    vi.advanceTimersByTime(10_000)
    expect(ping).not.toHaveBeenCalled()
    expect(terminate).not.toHaveBeenCalled()
  })

  it('cancels a pending termination when stop() is called after a ping', () => {
    const ping = vi.fn()
    const terminate = vi.fn()
    const beat = startHeartbeat(hb, ping, terminate)
    vi.advanceTimersByTime(1000)
    expect(ping).toHaveBeenCalledTimes(1)
    beat.stop()
    vi.advanceTimersByTime(10_000)
    expect(terminate).not.toHaveBeenCalled()
    expect(ping).toHaveBeenCalledTimes(1)
  })

  it('leaves no timers behind after stop()', () => {
    const beat = startHeartbeat(hb, vi.fn(), vi.fn())
    vi.advanceTimersByTime(1000)
    expect(vi.getTimerCount()).toBe(2)
    beat.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})
