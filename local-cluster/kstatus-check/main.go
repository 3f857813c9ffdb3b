// kstatus-check prints what the kstatus library (sigs.k8s.io/cli-utils/pkg/kstatus/status), which
// Flux and other GitOps tools use, concludes about Kubernetes objects: one JSON line per object.
//
// Input on stdin: one object or a List, as `kubectl get -o json` prints them.
// Output: {"namespace":..,"name":..,"status":"Current|InProgress|Failed|Terminating","message":..}
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sjson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	Message   string `json:"message"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-check:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	// Kubernetes' decoder keeps integers int64, as kstatus reads metadata.generation.
	var doc map[string]interface{}
	if err := k8sjson.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("stdin is not a JSON object (pipe `kubectl get ... -o json` into it): %w", err)
	}
	objects := []map[string]interface{}{doc}
	if items, isList := doc["items"].([]interface{}); isList {
		objects = objects[:0]
		for i, item := range items {
			object, ok := item.(map[string]interface{})
			if !ok {
				return fmt.Errorf("items[%d] is not an object", i)
			}
			objects = append(objects, object)
		}
	}
	encoder := json.NewEncoder(out)
	for _, object := range objects {
		u := &unstructured.Unstructured{Object: object}
		result, err := status.Compute(u)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", u.GetNamespace(), u.GetName(), err)
		}
		if err := encoder.Encode(verdict{u.GetNamespace(), u.GetName(), string(result.Status), result.Message}); err != nil {
			return err
		}
	}
	return nil
}
