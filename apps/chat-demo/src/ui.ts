/** The chat page: plain HTML, CSS and a script, served as is (no build step). */
export const page = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>honokit chat</title>
<style>
  :root { font: 15px/1.4 system-ui, sans-serif; color: #1d2330; background: #f4f6fa; }
  body { max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .75rem; }
  form { display: flex; gap: .5rem; margin-bottom: .75rem; }
  input { flex: 1; padding: .45rem .6rem; border: 1px solid #c5ccd8; border-radius: 6px; font: inherit; }
  button { padding: .45rem .9rem; border: 0; border-radius: 6px; background: #3454d1; color: white; font: inherit; cursor: pointer; }
  button:disabled { background: #9aa6c8; cursor: default; }
  .bar { display: flex; gap: 1rem; align-items: center; margin-bottom: .5rem; }
  #state { padding: .15rem .55rem; border-radius: 99px; background: #e2e6ee; font-size: .85rem; }
  #state[data-state="open"] { background: #d3f2dc; color: #17642f; }
  #state[data-state="reconnecting"] { background: #fdf0cf; color: #7a5600; }
  #error { color: #b3261e; font-size: .9rem; }
  .room { display: grid; grid-template-columns: 11rem 1fr; gap: .75rem; }
  aside, main { background: white; border: 1px solid #dde2eb; border-radius: 8px; padding: .6rem .8rem; }
  aside h2 { font-size: .9rem; margin: 0 0 .4rem; color: #5a6478; }
  ul { list-style: none; margin: 0; padding: 0; }
  #members li::before { content: "● "; color: #2fa35a; }
  #messages { height: 22rem; overflow-y: auto; margin-bottom: .6rem; }
  #messages li { padding: .15rem 0; }
  #messages li.system { color: #6b7489; font-style: italic; }
  #messages b { color: #3454d1; }
</style>
</head>
<body>
<h1>honokit chat</h1>
<form id="join-form">
  <input id="name" placeholder="your name" maxlength="24" autocomplete="off" />
  <input id="room" placeholder="room (a-z, 0-9, -)" maxlength="32" value="lobby" autocomplete="off" />
  <button id="join">Join</button>
</form>
<div class="bar"><span id="state" data-state="idle">not connected</span><span id="error"></span></div>
<div class="room">
  <aside><h2>In this room</h2><ul id="members"></ul></aside>
  <main>
    <ul id="messages"></ul>
    <form id="send-form"><input id="text" placeholder="say something" maxlength="500" autocomplete="off" /><button id="send" disabled>Send</button></form>
  </main>
</div>
<script>
  const $ = (id) => document.getElementById(id)
  let socket, joined, attempt = 0, retryTimer
  const setState = (state, label) => { $('state').dataset.state = state; $('state').textContent = label || state }
  const line = (html, cls) => {
    const li = document.createElement('li')
    if (cls) li.className = cls
    li.innerHTML = html
    $('messages').append(li)
    $('messages').scrollTop = $('messages').scrollHeight
  }
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';')
  const showMembers = (names) => { $('members').innerHTML = names.map((n) => '<li>' + esc(n) + '</li>').join('') }
  function connect() {
    clearTimeout(retryTimer)
    const url = new URL('/ws', location.href)
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    url.search = new URLSearchParams(joined).toString()
    setState('connecting')
    socket = new WebSocket(url)
    socket.onopen = () => { attempt = 0; setState('open'); $('send').disabled = false; $('error').textContent = '' }
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data)
      if (msg.type === 'welcome') {
        $('messages').innerHTML = ''
        for (const m of msg.history) line('<b>' + esc(m.from) + '</b>: ' + esc(m.text))
        line('you joined ' + esc(msg.room) + ' as ' + esc(msg.you), 'system')
        showMembers(msg.members)
      } else if (msg.type === 'presence') {
        if (msg.name !== joined.name) line(esc(msg.name) + (msg.event === 'join' ? ' joined' : ' left'), 'system')
        showMembers(msg.members)
      } else if (msg.type === 'message') line('<b>' + esc(msg.from) + '</b>: ' + esc(msg.text))
      else if (msg.type === 'error') $('error').textContent = msg.error
    }
    socket.onclose = (e) => {
      $('send').disabled = true
      if (!joined) return setState('idle', 'not connected')
      if (e.code === 1008) { $('error').textContent = 'disconnected: ' + (e.reason || 'policy'); }
      // Reconnect with exponential backoff: 0.5 s, 1 s, 2 s … at most 10 s.
      const delay = Math.min(10000, 500 * 2 ** attempt++)
      setState('reconnecting', 'reconnecting in ' + (delay / 1000).toFixed(1) + ' s')
      retryTimer = setTimeout(connect, delay)
    }
  }
  $('join-form').onsubmit = (e) => {
    e.preventDefault()
    joined = { name: $('name').value.trim(), room: $('room').value.trim() }
    if (socket) { socket.onclose = null; socket.close() }
    attempt = 0
    connect()
  }
  $('send-form').onsubmit = (e) => {
    e.preventDefault()
    const text = $('text').value
    if (!text.trim() || !socket || socket.readyState !== 1) return
    socket.send(JSON.stringify({ type: 'message', text }))
    $('text').value = ''
  }
</script>
</body>
</html>
`
