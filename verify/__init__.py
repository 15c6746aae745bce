"""`verify`: a deployed stack, checked against its outputs with AWS's own answers."""
