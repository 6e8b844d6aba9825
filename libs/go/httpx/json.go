// Package httpx holds the small HTTP helpers the crossdock sample services
// share: a JSON response writer and a server runner with graceful shutdown.
package httpx

import (
	"encoding/json"
	"net/http"
)

// WriteJSON writes v as a JSON response body with the given status code and
// content type application/json. An encoding failure is reported as a 500
// before anything is written.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	WriteRawJSON(w, status, body)
}

// WriteRawJSON writes body, which must already be JSON, with the given status
// code, content type application/json and a trailing newline.
func WriteRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	_, _ = w.Write([]byte("\n"))
}
