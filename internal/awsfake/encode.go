package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
)

// Error is a modeled AWS error; the server encodes it per protocol so the SDK
// returns the service's typed error (or a smithy.APIError with Code).
type Error struct {
	Status  int    // HTTP status; 0 means 400
	Code    string // e.g. "InvalidRequestException", "ClusterNotFound", "InvalidSubnetID.NotFound"
	Message string // human-readable message, preserved by the SDK
	// Sender selects the awsQuery <Type>: Sender when true or when the
	// status is 4xx (including the default 400), Receiver otherwise.
	Sender bool
}

// Error returns "Code: Message".
func (e *Error) Error() string {
	if e == nil {
		return "awsfake: handler returned a nil *Error"
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// jsonContentType mirrors the request's awsJson version (1.0 or 1.1).
func jsonContentType(req *Request) string {
	if req.Protocol == RESTJSON {
		return "application/json"
	}
	if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-amz-json-1.0") {
		return "application/x-amz-json-1.0"
	}
	return "application/x-amz-json-1.1"
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// response is an encoded reply, built before the request is recorded so that
// a client that has its reply always finds the request in Server.Requests.
type response struct {
	status      int
	contentType string
	errorType   string // X-Amzn-ErrorType for JSON protocols
	requestID   string
	body        []byte
}

func (resp *response) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", resp.contentType)
	h.Set("X-Amzn-Requestid", resp.requestID)
	if resp.errorType != "" {
		h.Set("X-Amzn-ErrorType", resp.errorType)
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// encodeResult encodes a handler's result for req's protocol with status
// 200. When out cannot be encoded it returns the InternalFailure to send
// instead.
func (s *Server) encodeResult(req *Request, requestID string, out any) (*response, *Error) {
	var contentType string
	var body []byte
	switch req.Protocol {
	case AWSJSON, RESTJSON:
		contentType = jsonContentType(req)
		switch v := out.(type) {
		case nil:
			body = []byte("{}")
		case json.RawMessage:
			body = v
		case []byte:
			body = v
		case string:
			body = []byte(v)
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, &Error{Status: http.StatusInternalServerError, Code: "InternalFailure",
					Message: fmt.Sprintf("awsfake: encoding %s result: %v", req.Op, err)}
			}
			body = b
		}
	default:
		contentType = "text/xml;charset=UTF-8"
		var inner []byte
		switch v := out.(type) {
		case nil:
		case []byte:
			inner = v
		case string:
			inner = []byte(v)
		default:
			b, err := xml.Marshal(v)
			if err != nil {
				return nil, &Error{Status: http.StatusInternalServerError, Code: "InternalFailure",
					Message: fmt.Sprintf("awsfake: encoding %s result: %v", req.Op, err)}
			}
			inner = b
		}
		var b strings.Builder
		b.WriteString(xmlHeader)
		if req.Protocol == EC2Query {
			fmt.Fprintf(&b, `<%[1]sResponse xmlns="http://ec2.amazonaws.com/doc/%[2]s/"><requestId>%[3]s</requestId>%[4]s</%[1]sResponse>`,
				req.Op, ec2APIVersion, requestID, inner)
		} else {
			fmt.Fprintf(&b, `<%[1]sResponse xmlns="%[2]s"><%[1]sResult>%[3]s</%[1]sResult>`+
				`<ResponseMetadata><RequestId>%[4]s</RequestId></ResponseMetadata></%[1]sResponse>`,
				req.Op, escapeXML(s.queryNS), inner, requestID)
		}
		body = []byte(b.String())
	}
	return &response{status: http.StatusOK, contentType: contentType, requestID: requestID, body: body}, nil
}

// encodeError encodes e for req's protocol.
func encodeError(req *Request, requestID string, e *Error) *response {
	var contentType, errorType string
	var body []byte
	switch req.Protocol {
	case AWSJSON, RESTJSON:
		contentType, errorType = jsonContentType(req), e.Code
		v := struct {
			Type     string `json:"__type,omitempty"`
			Message  string `json:"message"`
			MessageP string `json:"Message"`
		}{Message: e.Message, MessageP: e.Message}
		if req.Protocol == AWSJSON {
			v.Type = e.Code
		}
		body, _ = json.Marshal(v) // strings only: cannot fail
	case EC2Query:
		contentType = "text/xml;charset=UTF-8"
		body = []byte(xmlHeader + `<Response><Errors><Error><Code>` + escapeXML(e.Code) + `</Code><Message>` +
			escapeXML(e.Message) + `</Message></Error></Errors><RequestID>` + requestID + `</RequestID></Response>`)
	default:
		contentType = "text/xml;charset=UTF-8"
		typ := "Receiver"
		if e.Sender || e.status() < 500 {
			typ = "Sender"
		}
		body = []byte(xmlHeader + `<ErrorResponse><Error><Type>` + typ + `</Type><Code>` + escapeXML(e.Code) +
			`</Code><Message>` + escapeXML(e.Message) + `</Message></Error><RequestId>` + requestID +
			`</RequestId></ErrorResponse>`)
	}
	return &response{status: e.status(), contentType: contentType, errorType: errorType, requestID: requestID, body: body}
}

func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder: cannot fail
	return b.String()
}
