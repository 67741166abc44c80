; Imports: `source FILE` and `. FILE` (@import.source).
(command
  name: (command_name (word) @_command)
  argument: [(word) (string) (raw_string)] @import.source
  (#match? @_command "^(source|\\.)$")) @import
