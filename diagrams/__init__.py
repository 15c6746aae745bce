"""Architecture diagrams drawn from the offline previews of the stacks."""
