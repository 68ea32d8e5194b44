# leapp shell integration for bash (5.0 or later).
# Install: add to ~/.bashrc
#   eval "$(leapp hook bash)"
# Prompt: PS1='${leapp_prompt:+($leapp_prompt) }'"$PS1"
#
# On a plain prompt this hook runs shell builtins only and starts no process. It runs
# leapp when the directory tree's .leapp-session changes, or when the active credentials
# enter their refresh window. State lives in unexported __leapp_* variables.

if [[ -z ${__leapp_hooked-} ]]; then
  __leapp_hooked=1
  __leapp_pwd=
  __leapp_marker=
  __leapp_marker_content=
  __leapp_due=0
  __leapp_saved=
  __leapp_exported=
  __leapp_vars=
  leapp_prompt=
fi

__leapp_hook() {
  local __leapp_status=$?
  if [[ $PWD != "$__leapp_pwd" ]]; then
    __leapp_chdir
  elif [[ -n $__leapp_marker ]] && ! __leapp_marker_unchanged; then
    __leapp_marker=   # edited (or removed): look again, as on entry; changed content needs a new `leapp allow`
    __leapp_chdir
  elif (( __leapp_due > 0 && EPOCHSECONDS >= __leapp_due )); then
    __leapp_refresh
  fi
  __leapp_prompt
  return $__leapp_status
}

# The marker's content, read by the read builtin into __leapp_text (no process).
__leapp_marker_text() {
  __leapp_text=
  [[ -r $1 ]] && IFS= read -r -d '' __leapp_text < "$1"
  return 0
}

__leapp_marker_unchanged() {
  local __leapp_text
  __leapp_marker_text "$__leapp_marker"
  [[ $__leapp_text == "$__leapp_marker_content" ]]
}

__leapp_chdir() {
  __leapp_pwd=$PWD
  local d=$PWD m=
  while :; do
    if [[ -f $d/.leapp-session ]]; then m=$d/.leapp-session; break; fi
    [[ -z $d ]] && break
    d=${d%/*}
  done
  [[ $m == "$__leapp_marker" ]] && return 0
  __leapp_marker=$m
  local __leapp_text
  __leapp_marker_text "$m"
  __leapp_marker_content=$__leapp_text
  if [[ -z $m ]]; then
    __leapp_deactivate
    return 0
  fi
  local out
  # The output starts by saving what it replaces (__leapp_save, with leapp's list of variables).
  if out=$(command "${LEAPP_BIN:-leapp}" hook-env --shell bash --marker "$m") && [[ -n $out ]]; then
    eval "$out"
  else
    __leapp_deactivate
  fi
}

__leapp_refresh() {
  local out=
  if [[ -n $__leapp_marker ]]; then
    out=$(command "${LEAPP_BIN:-leapp}" hook-env --shell bash --marker "$__leapp_marker" --refresh)
  elif [[ -n ${LEAPP_SESSION-} ]]; then
    out=$(command "${LEAPP_BIN:-leapp}" hook-env --shell bash --session "$LEAPP_SESSION")
  fi
  if [[ -n $out ]]; then eval "$out"; else __leapp_due=0; fi
}

# Saves each variable named (leapp's list) that is set, and whether it was exported (a
# plain shell variable must not come back exported).
__leapp_save() {
  local v IFS=' '
  __leapp_vars="$*"
  __leapp_saved=' '
  __leapp_exported=' '
  for v in $__leapp_vars; do
    if [[ -n ${!v+x} ]]; then
      __leapp_saved+="$v "
      [[ ${!v@a} == *x* ]] && __leapp_exported+="$v "
      printf -v "__leapp_old_$v" '%s' "${!v}"
    fi
  done
}

__leapp_deactivate() {
  __leapp_due=0
  [[ -n $__leapp_saved ]] || return 0
  local v o IFS=' '
  for v in $__leapp_vars; do
    if [[ $__leapp_saved == *" $v "* ]]; then
      o=__leapp_old_$v
      printf -v "$v" '%s' "${!o}"
      if [[ $__leapp_exported == *" $v "* ]]; then export "$v"; else export -n "$v"; fi
      unset "$o"
    else
      unset "$v"
    fi
  done
  __leapp_saved=
  __leapp_exported=
  [[ ${1-} == quiet ]] || printf 'leapp: left the session directory; environment restored\n' >&2
}

# Time left as leapp itself says it ("45s", "59m", "1h", "1h5m"), by arithmetic only.
__leapp_left() {
  local s=$1
  if (( s < 60 )); then
    left="${s}s"
  elif (( s < 3600 )); then
    left="$(( s / 60 ))m"
  else
    left="$(( s / 3600 ))h"
    if (( s % 3600 / 60 > 0 )); then left+="$(( s % 3600 / 60 ))m"; fi
  fi
}

# Sets leapp_prompt to "alias region 42m" (nothing when no session is active),
# with control characters removed. Reference it from PS1; do not paste it in.
__leapp_prompt() {
  leapp_prompt=
  [[ -n ${LEAPP_SESSION-} ]] || return 0
  local left=expired
  if [[ ${LEAPP_EXPIRATION-} =~ ^[0-9]+$ ]] && (( LEAPP_EXPIRATION > EPOCHSECONDS )); then
    __leapp_left $(( LEAPP_EXPIRATION - EPOCHSECONDS ))
  fi
  leapp_prompt="${LEAPP_SESSION//[[:cntrl:]]/} ${AWS_REGION//[[:cntrl:]]/} $left"
}

# For prompts built by other tools: prints what leapp_prompt holds.
leapp_prompt_info() {
  __leapp_prompt
  [[ -z $leapp_prompt ]] || printf '%s' "$leapp_prompt"
}

# `leapp allow`, `deny` and `session start|stop` take effect at the next prompt: the hook
# forgets the directory it looked at, so that prompt looks again (no process on other prompts).
# A stop of the session this directory activated is kept: the hook restores the environment
# and leaves the session stopped in this shell until `leapp session start` or a new entry.
leapp() {
  command "${LEAPP_BIN:-leapp}" "$@"
  local __leapp_rc=$? __leapp_name= __leapp_a
  case "${1-} ${2-}" in
    "session stop")
      for __leapp_a in "${@:3}"; do [[ $__leapp_a == -* ]] || { __leapp_name=$__leapp_a; break; }; done
      __leapp_name=${__leapp_name:-${LEAPP_SESSION-}}
      if (( __leapp_rc == 0 )) && [[ -n $__leapp_marker && -n ${LEAPP_SESSION-} && $__leapp_name == "$LEAPP_SESSION" ]]; then
        __leapp_deactivate quiet
        printf 'leapp: %s stays stopped in this shell until `leapp session start` or you enter its directory again\n' \
          "${__leapp_name//[[:cntrl:]]/}" >&2
      else
        __leapp_pwd= __leapp_marker=
      fi ;;
    allow\ * | deny\ * | "session start") __leapp_pwd= __leapp_marker= ;;
  esac
  return $__leapp_rc
}

# Install once, in front of PROMPT_COMMAND (string or array form), keeping $?.
# (Works under `set -u`: nothing below reads a variable that may be unset without a default.)
if [[ -n ${PROMPT_COMMAND+set} && ${PROMPT_COMMAND@a} == *a* ]]; then
  __leapp_found=0
  for __leapp_e in "${PROMPT_COMMAND[@]}"; do [[ $__leapp_e == __leapp_hook ]] && __leapp_found=1; done
  (( __leapp_found )) || PROMPT_COMMAND=(__leapp_hook "${PROMPT_COMMAND[@]}")
  unset __leapp_found __leapp_e
else
  case ";${PROMPT_COMMAND-};" in
    *";__leapp_hook;"*) ;;
    *) PROMPT_COMMAND="__leapp_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
  esac
fi
