import { LIMITS, ROOM_PATTERN } from './protocol.ts'

/** The page's icon: a speech bubble, served at /favicon.svg and /favicon.ico. */
export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="3" width="28" height="20" rx="6" fill="#3454d1"/><path d="M9 22l-2 8 9-8z" fill="#3454d1"/><circle cx="10" cy="13" r="2.2" fill="#fff"/><circle cx="16" cy="13" r="2.2" fill="#fff"/><circle cx="22" cy="13" r="2.2" fill="#fff"/></svg>`
/** Headers of the icon (an SVG: browsers read it by its type, whatever the path says). */
export const FAVICON_HEADERS = { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }

/** The chat page: plain HTML, CSS and a script, served as is (no build step). */
export const page = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>honokit chat</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
<style>
  :root { font: 15px/1.4 system-ui, sans-serif; color: #1d2330; background: #f4f6fa; }
  * { box-sizing: border-box; }
  body { max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .75rem; }
  form { display: flex; flex-wrap: wrap; gap: .5rem; margin-bottom: .75rem; }
  input { flex: 1 1 8rem; min-width: 0; padding: .45rem .6rem; border: 1px solid #c5ccd8; border-radius: 6px; font: inherit; }
  input[aria-invalid="true"] { border-color: #b3261e; outline-color: #b3261e; }
  button { flex: 0 0 auto; padding: .45rem .9rem; border: 0; border-radius: 6px; background: #3454d1; color: white; font: inherit; cursor: pointer; }
  button:disabled { background: #9aa6c8; cursor: default; }
  button.secondary { background: #e2e6ee; color: #1d2330; }
  [hidden] { display: none !important; }
  .bar { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; margin-bottom: .5rem; }
  #state { padding: .15rem .55rem; border-radius: 99px; background: #e2e6ee; font-size: .85rem; }
  #state[data-state="open"] { background: #d3f2dc; color: #17642f; }
  #state[data-state="reconnecting"] { background: #fdf0cf; color: #7a5600; }
  #error { color: #b3261e; font-size: .9rem; overflow-wrap: anywhere; }
  .room { display: grid; grid-template-columns: 11rem minmax(0, 1fr); gap: .75rem; }
  aside, main { min-width: 0; background: white; border: 1px solid #dde2eb; border-radius: 8px; padding: .6rem .8rem; }
  aside h2 { font-size: .9rem; margin: 0 0 .4rem; color: #5a6478; }
  ul { list-style: none; margin: 0; padding: 0; }
  #members li { overflow-wrap: anywhere; }
  #members li::before { content: "● "; color: #2fa35a; }
  #members li.me { font-weight: 600; }
  #messages { height: 22rem; overflow-y: auto; margin-bottom: .6rem; }
  #messages li { padding: .2rem .45rem; margin: .15rem 0; border-radius: 6px; overflow-wrap: anywhere; }
  #messages li.system { color: #6b7489; font-style: italic; }
  #messages li.mine { background: #e8edff; margin-left: 2rem; }
  #messages li.mine b { color: #17642f; }
  #messages b { color: #3454d1; }
  #messages time { color: #8a93a6; font-size: .8rem; margin-right: .35rem; font-variant-numeric: tabular-nums; }
  #send-form { margin: 0; }
  @media (max-width: 600px) {
    body { margin: .75rem auto; padding: 0 .6rem; }
    .room { grid-template-columns: minmax(0, 1fr); }
    aside { order: 2; }
    #messages { height: 50vh; }
    #messages li.mine { margin-left: 1rem; }
  }
</style>
</head>
<body>
<h1>honokit chat</h1>
<form id="join-form" novalidate>
  <input id="name" placeholder="your name" maxlength="${LIMITS.name}" autocomplete="off" aria-label="your name" />
  <input id="room" placeholder="room (a-z, 0-9, -)" maxlength="${LIMITS.room}" value="lobby" autocomplete="off" aria-label="room" />
  <button id="join">Join</button>
  <button id="leave" type="button" class="secondary" hidden>Leave</button>
</form>
<div class="bar"><span id="state" data-state="idle">not connected</span><span id="error" role="alert"></span></div>
<div class="room">
  <aside><h2>In this room</h2><ul id="members"></ul></aside>
  <main>
    <ul id="messages"></ul>
    <form id="send-form"><input id="text" placeholder="say something" maxlength="${LIMITS.text}" autocomplete="off" aria-label="message" /><button id="send" disabled>Send</button></form>
  </main>
</div>
<script>
  // The server's rules (src/protocol.ts), so most mistakes are named before anything connects.
  const LIMITS = ${JSON.stringify({ name: LIMITS.name, room: LIMITS.room })}
  const ROOM = new RegExp(${JSON.stringify(ROOM_PATTERN.source)})
  const $ = (id) => document.getElementById(id)
  let socket, joined, attempt = 0, retryTimer, opened = false
  const setState = (state, label) => { $('state').dataset.state = state; $('state').textContent = label || state }
  const showError = (text) => { $('error').textContent = text || '' }
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';')
  const clock = (at) => {
    const d = new Date(at)
    return '<time datetime="' + d.toISOString() + '">' + d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false }) + '</time>'
  }
  const line = (html, cls) => {
    const li = document.createElement('li')
    if (cls) li.className = cls
    li.innerHTML = html
    $('messages').append(li)
    $('messages').scrollTop = $('messages').scrollHeight
  }
  const chatLine = (m) => {
    const mine = joined && m.from === joined.name
    line(clock(m.at) + '<b>' + esc(m.from) + '</b>: ' + esc(m.text), mine ? 'mine' : '')
    // The input is cleared only once the server has taken the message: a refused one stays, with the reason.
    if (mine && $('text').value === m.text) $('text').value = ''
  }
  const showMembers = (names) => {
    $('members').innerHTML = names
      .map((n) => '<li' + (joined && n === joined.name ? ' class="me" title="you"' : '') + '>' + esc(n) + '</li>')
      .join('')
  }
  function invalid(name, room) {
    $('name').setAttribute('aria-invalid', 'false')
    $('room').setAttribute('aria-invalid', 'false')
    if (name.length === 0 || name.length > LIMITS.name) {
      $('name').setAttribute('aria-invalid', 'true')
      return 'Cannot join: a name of 1 to ' + LIMITS.name + ' characters is needed.'
    }
    if (!room || room.length > LIMITS.room || !ROOM.test(room)) {
      $('room').setAttribute('aria-invalid', 'true')
      return 'Cannot join: a room of 1 to ' + LIMITS.room + ' characters (a-z, 0-9, -) is needed.'
    }
  }
  // Asks the server with a plain GET of the WebSocket URL: the refusal of an upgrade never reaches a page.
  async function refusal(params) {
    try {
      const res = await fetch('/ws?' + new URLSearchParams(params))
      if (res.ok) return undefined
      const body = await res.json().catch(() => ({}))
      return body.error || 'Cannot join: the server answered ' + res.status + '.'
    } catch {
      return undefined // unreachable: the reconnect loop keeps trying
    }
  }
  function connect() {
    clearTimeout(retryTimer)
    const url = new URL('/ws', location.href)
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    url.search = new URLSearchParams(joined).toString()
    setState('connecting')
    opened = false
    socket = new WebSocket(url)
    socket.onopen = () => { attempt = 0; opened = true; setState('open'); $('send').disabled = false; showError('') }
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data)
      if (msg.type === 'welcome') {
        $('messages').innerHTML = ''
        for (const m of msg.history) chatLine(m)
        line('you joined ' + esc(msg.room) + ' as ' + esc(msg.you), 'system')
        showMembers(msg.members)
      } else if (msg.type === 'presence') {
        if (msg.name !== joined.name) line(esc(msg.name) + (msg.event === 'join' ? ' joined' : ' left'), 'system')
        showMembers(msg.members)
      } else if (msg.type === 'message') chatLine(msg)
      else if (msg.type === 'error') showError('Not sent: ' + msg.error)
    }
    socket.onclose = async (e) => {
      $('send').disabled = true
      if (!joined) return setState('idle', 'not connected')
      if (e.code === 1008) showError('Disconnected by the server: ' + (e.reason || 'policy') + '.')
      if (!opened) {
        // The handshake failed: if the server refuses this name or room now, say why and stop retrying.
        const refused = await refusal(joined)
        if (!joined) return
        if (refused) return stop(refused)
      }
      // Reconnect with exponential backoff: 0.5 s, 1 s, 2 s … at most 10 s.
      const delay = Math.min(10000, 500 * 2 ** attempt++)
      setState('reconnecting', 'reconnecting in ' + (delay / 1000).toFixed(1) + ' s')
      retryTimer = setTimeout(connect, delay)
    }
  }
  function stop(error) {
    joined = undefined
    clearTimeout(retryTimer)
    if (socket) { socket.onclose = null; socket.close(1000, 'left') }
    socket = undefined
    setState('idle', 'not connected')
    showError(error)
    $('send').disabled = true
    $('leave').hidden = true
    $('join').hidden = false
    $('name').disabled = $('room').disabled = false
    $('members').innerHTML = ''
  }
  $('join-form').onsubmit = async (e) => {
    e.preventDefault()
    const wanted = { name: $('name').value.trim(), room: $('room').value.trim() }
    const problem = invalid(wanted.name, wanted.room)
    if (problem) return showError(problem)
    $('join').disabled = true
    const refused = await refusal(wanted)
    $('join').disabled = false
    if (refused) return showError(refused)
    showError('')
    if (socket) { socket.onclose = null; socket.close() }
    joined = wanted
    attempt = 0
    $('join').hidden = true
    $('leave').hidden = false
    $('name').disabled = $('room').disabled = true
    connect()
  }
  $('leave').onclick = () => {
    const room = joined && joined.room
    stop('')
    if (room) line('you left ' + esc(room), 'system')
  }
  $('send-form').onsubmit = (e) => {
    e.preventDefault()
    const text = $('text').value
    if (!text.trim() || !socket || socket.readyState !== 1) return
    showError('')
    socket.send(JSON.stringify({ type: 'message', text }))
  }
</script>
</body>
</html>
`
