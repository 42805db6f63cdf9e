package mmserver

// An SMTP sink on loopback: a plain SMTP server (no AUTH, no TLS) that accepts every message and keeps
// it, decoded, so a test can read what the Mattermost server mailed (invitations, password resets,
// notifications). Point a server at it with Server.UseSMTPSink.

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// SinkMessage is one accepted message: the envelope, the raw data and its decoded parts.
type SinkMessage struct {
	From string   // MAIL FROM, lower case
	To   []string // RCPT TO, lower case
	Raw  string   // the DATA, dot-unstuffed, CRLF line ends
	// Subject is the decoded Subject header; HTML and Text the decoded text/html and text/plain parts
	// (a single-part message fills the one its Content-Type names).
	Subject    string
	HTML, Text string
	// Parts are the media types of the leaf parts, in order (text/plain, text/html, image/png…).
	Parts  []string
	Header mail.Header
	// ParseErr says why the data could not be decoded (Raw is still kept).
	ParseErr error
}

// SMTPSink is a running sink; Close stops it.
type SMTPSink struct {
	ln       net.Listener
	mu       sync.Mutex
	messages []SinkMessage
	arrived  chan struct{} // closed and replaced on every accepted message
	rejects  []sinkReject
	wg       sync.WaitGroup
}

// sinkReject refuses, once, the first message to address whose raw data contains text.
type sinkReject struct{ address, text string }

// StartSMTPSink listens on 127.0.0.1:<free port> and accepts messages until Close.
func StartSMTPSink() (*SMTPSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &SMTPSink{ln: ln, arrived: make(chan struct{})}
	s.wg.Go(func() {
		for {
			c, acceptErr := ln.Accept()
			if acceptErr != nil {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	return s, nil
}

// Addr is the sink's host:port.
func (s *SMTPSink) Addr() string { return s.ln.Addr().String() }

// Close stops listening and waits for open sessions to end (their clients are told nothing more).
func (s *SMTPSink) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

// RejectOnce makes the sink refuse (554 at the end of DATA) the next message to address whose data
// contains text, so that one send fails; other mail is not affected.
func (s *SMTPSink) RejectOnce(address, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejects = append(s.rejects, sinkReject{strings.ToLower(address), text})
}

// Messages returns every accepted message, in the order they arrived.
func (s *SMTPSink) Messages() []SinkMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SinkMessage(nil), s.messages...)
}

// To returns the accepted messages with address among their recipients (case-insensitive).
func (s *SMTPSink) To(address string) []SinkMessage {
	address = strings.ToLower(address)
	var out []SinkMessage
	for _, m := range s.Messages() {
		if slices.Contains(m.To, address) {
			out = append(out, m)
		}
	}
	return out
}

// Matching returns the accepted messages whose subject, HTML or text contains text.
func (s *SMTPSink) Matching(text string) []SinkMessage {
	var out []SinkMessage
	for _, m := range s.Messages() {
		if m.Contains(text) {
			out = append(out, m)
		}
	}
	return out
}

// Contains says whether the message's subject, HTML or text part contains text.
func (m SinkMessage) Contains(text string) bool {
	return strings.Contains(m.Subject, text) || strings.Contains(m.HTML, text) || strings.Contains(m.Text, text)
}

// WaitFor waits until the sink holds at least n messages and returns them all; after timeout it
// returns what it has with an error.
func (s *SMTPSink) WaitFor(n int, timeout time.Duration) ([]SinkMessage, error) {
	return s.WaitUntil(timeout, func(all []SinkMessage) bool { return len(all) >= n })
}

// WaitUntil waits until done(every message so far) is true and returns the messages; after timeout it
// returns what it has with an error.
func (s *SMTPSink) WaitUntil(timeout time.Duration, done func([]SinkMessage) bool) ([]SinkMessage, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		all := append([]SinkMessage(nil), s.messages...)
		arrived := s.arrived
		s.mu.Unlock()
		if done(all) {
			return all, nil
		}
		select {
		case <-arrived:
		case <-deadline.C:
			return all, fmt.Errorf("SMTP sink: %d messages after %s, not what was waited for", len(all), timeout)
		}
	}
}

func (s *SMTPSink) serve(c net.Conn) {
	defer func() { _ = c.Close() }()
	tp := textproto.NewConn(c)
	reply := func(format string, args ...any) bool { return tp.PrintfLine(format, args...) == nil }
	if !reply("220 cockpit-sink ESMTP") {
		return
	}
	var from string
	var to []string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			_ = reply("250-cockpit-sink")
			_ = reply("250-8BITMIME")
			_ = reply("250 SMTPUTF8")
		case "HELO", "NOOP":
			_ = reply("250 ok")
		case "RSET":
			from, to = "", nil
			_ = reply("250 ok")
		case "MAIL":
			from, to = envelopeAddress(arg, "FROM:"), nil
			_ = reply("250 ok")
		case "RCPT":
			to = append(to, envelopeAddress(arg, "TO:"))
			_ = reply("250 ok")
		case "DATA":
			if len(to) == 0 {
				_ = reply("503 RCPT first")
				continue
			}
			if !reply("354 end with <CRLF>.<CRLF>") {
				return
			}
			lines, readErr := tp.ReadDotLines()
			if readErr != nil {
				return
			}
			msg := parseSinkMessage(from, to, strings.Join(lines, "\r\n")+"\r\n")
			from, to = "", nil
			if s.accept(msg) {
				_ = reply("250 queued")
			} else {
				_ = reply("554 rejected once by the sink")
			}
		case "QUIT":
			_ = reply("221 bye")
			return
		default:
			_ = reply("502 not implemented")
		}
	}
}

// accept records msg unless a RejectOnce rule takes it (the rule is then used up).
func (s *SMTPSink) accept(msg SinkMessage) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rejects {
		for _, to := range msg.To {
			if to == r.address && strings.Contains(msg.Raw, r.text) {
				s.rejects = append(s.rejects[:i], s.rejects[i+1:]...)
				return false
			}
		}
	}
	s.messages = append(s.messages, msg)
	close(s.arrived)
	s.arrived = make(chan struct{})
	return true
}

// envelopeAddress reads "FROM:<a@b> SIZE=…" / "TO:<a@b>" into "a@b".
func envelopeAddress(arg, prefix string) string {
	rest := strings.TrimSpace(arg)
	if len(rest) >= len(prefix) && strings.EqualFold(rest[:len(prefix)], prefix) {
		rest = strings.TrimSpace(rest[len(prefix):])
	}
	if end := strings.IndexByte(rest, '>'); strings.HasPrefix(rest, "<") && end > 0 {
		rest = rest[1:end]
	} else if sp := strings.IndexByte(rest, ' '); sp >= 0 {
		rest = rest[:sp]
	}
	return strings.ToLower(rest)
}

func parseSinkMessage(from string, to []string, raw string) SinkMessage {
	m := SinkMessage{From: from, To: to, Raw: raw}
	parsed, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		m.ParseErr = err
		return m
	}
	m.Header = parsed.Header
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(parsed.Header.Get("Subject")); err != nil {
		m.Subject = parsed.Header.Get("Subject")
	}
	m.ParseErr = m.readPart(textproto.MIMEHeader(parsed.Header), parsed.Body)
	return m
}

// readPart decodes one MIME part into m.HTML / m.Text, descending into multipart containers.
func (m *SinkMessage) readPart(header textproto.MIMEHeader, body io.Reader) error {
	contentType := header.Get("Content-Type")
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		var errs []error
		for {
			// NextRawPart: the transfer encoding is decoded below, for every part the same way.
			p, partErr := r.NextRawPart()
			if errors.Is(partErr, io.EOF) {
				return errors.Join(errs...)
			}
			if partErr != nil {
				return errors.Join(append(errs, partErr)...)
			}
			errs = append(errs, m.readPart(p.Header, p))
		}
	}
	m.Parts = append(m.Parts, mediaType)
	decoded, err := decodeTransfer(header.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	switch mediaType {
	case "text/html":
		m.HTML += decoded
	case "text/plain":
		m.Text += decoded
	}
	return nil
}

func decodeTransfer(encoding string, body io.Reader) (string, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		raw, err := io.ReadAll(body)
		if err != nil {
			return "", err
		}
		r = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.Join(bytes.Fields(raw), nil)))
	default:
		r = body
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

// UseSMTPSink points the server's email at the sink (plain SMTP on loopback, no auth) and turns email
// notifications on; the returned function puts the previous email settings back.
func (s *Server) UseSMTPSink(sink *SMTPSink) (restore func(), err error) {
	host, port, err := net.SplitHostPort(sink.Addr())
	if err != nil {
		return nil, err
	}
	before := s.App.Config().Clone().EmailSettings
	s.App.UpdateConfig(func(cfg *model.Config) {
		e := &cfg.EmailSettings
		e.SendEmailNotifications = new(true)
		e.SMTPServer = new(host)
		e.SMTPPort = new(port)
		e.ConnectionSecurity = new("")
		e.EnableSMTPAuth = new(false)
		e.SkipServerCertificateVerification = new(true)
		e.FeedbackEmail = new("cockpit@example.com")
		e.FeedbackName = new("Cockpit E2E")
		e.SendPushNotifications = new(false)
	})
	got := s.App.Config().EmailSettings
	if !*got.SendEmailNotifications || *got.SMTPServer != host || *got.SMTPPort != port {
		return nil, errors.New("the server refused the SMTP settings of the sink (config validation)")
	}
	return func() { s.App.UpdateConfig(func(cfg *model.Config) { cfg.EmailSettings = before }) }, nil
}
