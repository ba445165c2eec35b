import { describe, expect, it } from 'vitest'
import { describeReceived, within } from './client.ts'

describe('within', () => {
  it('reads a function description when the time is up, so the message tells what arrived by then', async () => {
    const inbox: string[] = []
    const waiting = within(new Promise(() => {}), 30, () => `3 messages (received: ${inbox.length})`)
    inbox.push('a', 'b')
    await expect(waiting).rejects.toThrow('timed out after 30 ms waiting for 3 messages (received: 2)')
  })
})

describe('describeReceived', () => {
  it('counts the messages and shows the last three', () => {
    const text = (t: string) => ({ data: Buffer.from(t), isBinary: false, text: t })
    expect(describeReceived([])).toBe('none')
    expect(
      describeReceived([text('1'), text('2'), text('3'), { data: Buffer.alloc(5), isBinary: true, text: '' }])
    ).toBe('4, the last: "2", "3", <5 bytes>')
  })
})
