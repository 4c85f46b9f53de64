package localaws

import (
	"bytes"
	"math"
	"reflect"
	"testing"
)

// TestScalarEncoding: numbers and bools as Smithy's JSON and XML protocols write them.
// JSON has no literal for NaN and the infinities, so those are the strings "NaN",
// "Infinity" and "-Infinity"; in XML they are the same words as text.
func TestScalarEncoding(t *testing.T) {
	type scalars struct {
		B        bool
		I        int32
		U        uint8
		F        float64
		G        float32
		NaN      float64
		Inf      float64
		NegInf   float64
		Neg      int64
		Fraction float64
	}
	v := reflect.ValueOf(scalars{B: true, I: -7, U: 200, F: 3.1, G: 0.1, NaN: math.NaN(), Inf: math.Inf(1),
		NegInf: math.Inf(-1), Neg: math.MinInt64, Fraction: 1e-7})

	var j bytes.Buffer
	if err := newCodec(Service{Protocol: AWSJSON11}).encodeJSON(&j, v, false); err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"B":true,"I":-7,"U":200,"F":3.1,"G":0.1,"NaN":"NaN","Inf":"Infinity","NegInf":"-Infinity",` +
		`"Neg":-9223372036854775808,"Fraction":1e-07}`
	if j.String() != wantJSON {
		t.Errorf("JSON:\n got %s\nwant %s", j.String(), wantJSON)
	}

	var x bytes.Buffer
	if err := newCodec(Service{Protocol: AWSQuery}).encodeXMLFields(&x, v, nil); err != nil {
		t.Fatal(err)
	}
	wantXML := "<B>true</B><I>-7</I><U>200</U><F>3.1</F><G>0.1</G><NaN>NaN</NaN><Inf>Infinity</Inf><NegInf>-Infinity</NegInf>" +
		"<Neg>-9223372036854775808</Neg><Fraction>1e-07</Fraction>"
	if x.String() != wantXML {
		t.Errorf("XML:\n got %s\nwant %s", x.String(), wantXML)
	}
}
