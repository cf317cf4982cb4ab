# Run by `make waves` (gtkwave --script): show the whole run at once.
gtkwave::/Time/Zoom/Zoom_Best_Fit
