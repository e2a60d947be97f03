// A minimal Go crypto/tls server for the probe's tests: listens on 127.0.0.1 (port 0: any), prints
// "PORT n", and completes (or fails) one handshake per connection, then closes.
// Flags: -cert a.crt,b.crt -key a.key,b.key (several pairs: Go picks one per ClientHello),
// -min/-max 1.0|1.1|1.2|1.3, -suites comma-separated Go names (TLS <= 1.2 only; Go fixes TLS 1.3's).
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

var versions = map[string]uint16{"1.0": tls.VersionTLS10, "1.1": tls.VersionTLS11, "1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}

func main() {
	certs := flag.String("cert", "", "")
	keys := flag.String("key", "", "")
	min := flag.String("min", "1.2", "")
	max := flag.String("max", "1.3", "")
	suites := flag.String("suites", "", "")
	flag.Parse()
	config := &tls.Config{MinVersion: versions[*min], MaxVersion: versions[*max]}
	keyList := strings.Split(*keys, ",")
	for i, c := range strings.Split(*certs, ",") {
		pair, err := tls.LoadX509KeyPair(c, keyList[i])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		config.Certificates = append(config.Certificates, pair)
	}
	if *suites != "" {
		byName := map[string]uint16{}
		for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
			byName[s.Name] = s.ID
		}
		for _, n := range strings.Split(*suites, ",") {
			id, ok := byName[n]
			if !ok {
				fmt.Fprintln(os.Stderr, "unknown suite", n)
				os.Exit(3)
			}
			config.CipherSuites = append(config.CipherSuites, id)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
	fmt.Printf("PORT %d\n", ln.Addr().(*net.TCPAddr).Port)
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			t := tls.Server(c, config)
			t.Handshake()
		}(c)
	}
}
