// Command health reads the ExportJobs of a namespace from the API server and prints, one JSON line
// per job, the status that kstatus (the library behind Flux's health checks and cli-utils) computes
// for it and the health that Argo CD's Lua check (docs/gitops/health.lua) returns, evaluated by the
// interpreter Argo CD embeds, with the libraries Argo CD opens for it.
//
//	health -kubeconfig FILE -namespace NS -lua docs/gitops/health.lua
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

var exportJobs = schema.GroupVersionResource{Group: "cdds.dev", Version: "v1alpha1", Resource: "exportjobs"}

type verdict struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

type line struct {
	Name    string  `json:"name"`
	Kstatus verdict `json:"kstatus"`
	ArgoCD  verdict `json:"argocd"`
}

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig file")
	namespace := flag.String("namespace", "default", "namespace of the ExportJobs")
	script := flag.String("lua", "docs/gitops/health.lua", "Argo CD health check")
	flag.Parse()
	if err := run(*kubeconfig, *namespace, *script); err != nil {
		fmt.Fprintln(os.Stderr, "health:", err)
		os.Exit(1)
	}
}

func run(kubeconfig, namespace, scriptFile string) error {
	script, err := os.ReadFile(scriptFile)
	if err != nil {
		return err
	}
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := dynamic.NewForConfig(config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := client.Resource(exportJobs).Namespace(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	out := json.NewEncoder(os.Stdout)
	for i := range list.Items {
		job := &list.Items[i]
		computed, err := status.Compute(job)
		if err != nil {
			return fmt.Errorf("kstatus of %s: %w", job.GetName(), err)
		}
		health, err := argoHealth(job, string(script))
		if err != nil {
			return fmt.Errorf("Lua health of %s: %w", job.GetName(), err)
		}
		err = out.Encode(line{
			Name:    job.GetName(),
			Kstatus: verdict{Status: computed.Status.String(), Message: computed.Message},
			ArgoCD:  health,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// argoHealth runs the script as Argo CD's util/lua does: only the package, base and table
// libraries open (no string library unless an admin opts in), the object as the global obj, a
// one-second limit, and the returned table read as {status, message}.
func argoHealth(job *unstructured.Unstructured, script string) (verdict, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return verdict{}, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, job.Object))
	if err := l.DoString(script); err != nil {
		return verdict{}, err
	}
	result, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return verdict{}, fmt.Errorf("the script returned %s, not a table", l.Get(-1).Type())
	}
	return verdict{
		Status:  lua.LVAsString(result.RawGetString("status")),
		Message: lua.LVAsString(result.RawGetString("message")),
	}, nil
}

// toLua converts decoded JSON as Argo CD does: objects to tables by key, arrays to sequences.
func toLua(l *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case map[string]interface{}:
		t := l.NewTable()
		for key, item := range v {
			t.RawSetString(key, toLua(l, item))
		}
		return t
	case []interface{}:
		t := l.NewTable()
		for _, item := range v {
			t.Append(toLua(l, item))
		}
		return t
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case nil:
		return lua.LNil
	default:
		return lua.LString(fmt.Sprint(v))
	}
}
