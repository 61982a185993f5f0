# shellcheck shell=bash
# Installs helm and kubeconform (pinned) with `go install` into a cache directory, once; sourced by
# the deploy scripts. Exports MEDSPA_HELM and MEDSPA_KUBECONFORM.
HELM_VERSION=v3.19.0
KUBECONFORM_VERSION=v0.7.0
MEDSPA_TOOLS_DIR=${MEDSPA_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/medspa/bin}

# go_tool <module>/cmd/<name> <version>: the binary's path, installed first when missing.
go_tool() {
  local package=$1 version=$2 name
  name=$(basename "$package")
  local dir="$MEDSPA_TOOLS_DIR/$name-$version"
  if [[ ! -x "$dir/$name" ]]; then
    command -v go >/dev/null || { echo "go is required to install $name (https://go.dev/dl/)" >&2; return 1; }
    echo "installing $name $version into $dir" >&2
    mkdir -p "$dir"
    GOBIN="$dir" GOFLAGS=-mod=mod go install "$package@$version" >&2
  fi
  echo "$dir/$name"
}

MEDSPA_HELM=$(go_tool helm.sh/helm/v3/cmd/helm "$HELM_VERSION")
MEDSPA_KUBECONFORM=$(go_tool github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION")
export MEDSPA_HELM MEDSPA_KUBECONFORM
