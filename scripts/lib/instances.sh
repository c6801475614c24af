# Shell functions shared by scripts/cluster.sh and bench/server.sh: ssokit-server instances
# on one store, and nginx in front of them as the load balancer. Source it; it defines
# functions only.

# A free TCP port on the loopback interface.
ssokit_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ssokit_start_instance SERVER_BIN DATA LOG [serve flags...]
# Starts `SERVER_BIN serve --data DATA --listen 127.0.0.1:0 flags...` in the background and
# waits (up to 20 s) until it listens. Sets instance_pid and instance_url (http://IP:PORT).
ssokit_start_instance() {
  local bin=$1 data=$2 log=$3
  shift 3
  local ready="$data.ready"
  rm -f "$ready"
  "$bin" serve --data "$data" --listen 127.0.0.1:0 --ready-file "$ready" "$@" >"$log" 2>&1 &
  instance_pid=$!
  local _
  for _ in $(seq 1 200); do
    [[ -s "$ready" ]] && break
    if ! kill -0 "$instance_pid" 2>/dev/null; then
      echo "ssokit-server did not start:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  [[ -s "$ready" ]] || { echo "ssokit-server did not listen within 20 s (log: $log)" >&2; return 1; }
  instance_url="http://$(cat "$ready")"
}

# ssokit_copy_data FROM TO: what an operator does for every further instance on one store:
# a copy of the first instance's --data folder (its link-code pepper), owner-only.
ssokit_copy_data() {
  (umask 077 && mkdir -p "$2")
  cp -p "$1/link-code-pepper" "$2/"
}

# ssokit_balancer_conf DIR LISTEN UPSTREAM_URL...
# Writes DIR/nginx.conf: nginx on LISTEN (IP:PORT) spreading requests over the upstreams
# round robin, over kept-alive connections, naming the client in X-Forwarded-For (start the
# instances with --trusted-proxy 127.0.0.1) and the instance that answered in the
# X-Ssokit-Instance header of every answer. A POST is never retried on another instance
# (nginx retries only idempotent requests), so a write is not made twice.
ssokit_balancer_conf() {
  local dir=$1 listen=$2
  shift 2
  mkdir -p "$dir/tmp"
  {
    echo "worker_processes auto;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp;"
    echo "  fastcgi_temp_path $dir/tmp; uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;"
    echo "  upstream ssokit {"
    local url
    for url in "$@"; do echo "    server ${url#http://} max_fails=1 fail_timeout=2s;"; done
    echo "    keepalive 64;"
    echo "  }"
    echo "  server {"
    echo "    listen $listen;"
    echo "    keepalive_requests 1000000;"
    echo "    location / {"
    echo "      proxy_pass http://ssokit;"
    echo "      proxy_http_version 1.1;"
    echo "      proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$host;"
    echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "      proxy_next_upstream error timeout;"
    echo "      add_header X-Ssokit-Instance \$upstream_addr always;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$dir/nginx.conf"
}
