package io.podhogs.report;

/** One trace log format, fed a file's lines (without line ends; blank ones left out) in order. */
interface TraceFormat {
    /**
     * @param number the line's number in the file, from 1, for errors
     * @param last whether this is the file's last line and it has no line end: a monitor stopped in
     *     the middle of writing it, so a line that does not parse is left out, not an error
     * @return false if the line was such a truncated last line, left out
     * @throws ReportException for any other line that is not of the format, naming the file and line
     */
    boolean line(String line, int number, boolean last);
}
