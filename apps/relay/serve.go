package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// handler serves one accepted connection; the caller closes conn afterwards.
type handler func(conn net.Conn, logw io.Writer)

// serve accepts connections on ln and runs handle for each until ctx is done;
// then it closes ln and every open connection and waits for the handlers.
func serve(ctx context.Context, ln net.Listener, handle handler, logw io.Writer) error {
	var (
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
		wg    sync.WaitGroup
	)
	stopped := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-stopped:
		}
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	defer func() {
		close(stopped)
		wg.Wait()
	}()

	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accepting on %s: %w", ln.Addr(), err)
		}
		mu.Lock()
		conns[conn] = struct{}{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				mu.Lock()
				delete(conns, conn)
				mu.Unlock()
				conn.Close()
			}()
			handle(conn, logw)
		}()
	}
}

// echo writes every line read from conn back to it, until the client closes.
func echo(conn net.Conn, _ io.Writer) {
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if _, werr := conn.Write(line); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// relayTo is a handler that copies bytes both ways between the client and a
// new connection to upstream, until either side closes.
func relayTo(upstream string) handler {
	return func(conn net.Conn, logw io.Writer) {
		up, err := net.DialTimeout("tcp", upstream, 10*time.Second)
		if err != nil {
			fmt.Fprintf(logw, "relay: cannot reach upstream %q: %v\n", upstream, err)
			return
		}
		defer up.Close()
		done := make(chan struct{}, 2)
		pipe := func(dst, src net.Conn) {
			if _, err := io.Copy(dst, src); err != nil {
				// A broken side (or shutdown closing the client) ends both.
				conn.Close()
				up.Close()
			} else if tcp, ok := dst.(*net.TCPConn); ok {
				// Pass a clean EOF on as a half-close, so the far side can still answer.
				_ = tcp.CloseWrite()
			} else {
				dst.Close()
			}
			done <- struct{}{}
		}
		go pipe(up, conn)
		go pipe(conn, up)
		<-done
		<-done
	}
}
