import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'chat-demo', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
})
