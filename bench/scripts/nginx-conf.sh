# Sourced by the router benchmarks: writes an nginx configuration as they all run it (one worker,
# in the foreground, no access log, keep-alive without limit, temp folders inside its own folder).
#
#   nginx_conf DIR HTTP_BODY [MAIN_LINES]   # writes DIR/nginx.conf; start it with -p DIR/ -c DIR/nginx.conf
nginx_conf() {
    local dir="$1" user=""
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && user="user root;"
    cat >"$dir/nginx.conf" <<CONF
$user
worker_processes 1;
${3:-}
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
$2
}
CONF
}
