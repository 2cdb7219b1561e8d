# Source this file: puts the project's own Node 24 and pinned pnpm first on PATH.
# Harmless where the machine's own already fit; `scripts/setup.sh` installs them.
_dw_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
if [ -x "$_dw_root/.toolchain/node_modules/.bin/node" ]; then
  case ":$PATH:" in
    *":$_dw_root/.toolchain/node_modules/.bin:"*) ;;
    *) export PATH="$_dw_root/.toolchain/node_modules/.bin:$PATH" ;;
  esac
fi
unset _dw_root
