package deliver

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// Trust says how forwarding and replays check the certificate of an https
// app: by the system's roots unless told otherwise. An app under
// development often serves a self-signed certificate; Roots then holds it,
// or Insecure skips the check altogether.
type Trust struct {
	Insecure bool           // accept any certificate
	Roots    *x509.CertPool // the roots to check against; nil: the system's
}

// tlsConfig is the client configuration t describes; nil is Go's default.
func (t Trust) tlsConfig() *tls.Config {
	if !t.Insecure && t.Roots == nil {
		return nil
	}
	return &tls.Config{InsecureSkipVerify: t.Insecure, RootCAs: t.Roots, MinVersion: tls.VersionTLS12}
}

// LoadRoots reads the PEM certificates in path and returns a pool of them
// and the system's roots, so a self-signed app and a public one are both
// trusted.
func LoadRoots(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate (want -----BEGIN CERTIFICATE----- blocks)", path)
	}
	return pool, nil
}
