namespace Flows;

/// <summary>
/// The last <c>limit</c> characters of a stream of text, kept as it comes in a ring that grows (doubling) only as far
/// as the text needs and never past the limit: memory stays bounded whatever the stream's length, a short output
/// costs a small buffer, and <see cref="Truncated"/> says whether anything was dropped.
/// </summary>
internal sealed class OutputTail(int limit)
{
    private char[] _ring = [];
    private int _start;
    private int _count;

    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<char> chunk)
    {
        if (chunk.Length > limit)
        {
            Truncated = true;
            chunk = chunk[^limit..];
        }

        if (chunk.IsEmpty)
        {
            return;
        }

        if (_count + chunk.Length > _ring.Length && _ring.Length < limit)
        {
            Grow(Math.Min(limit, Math.Max(Math.Max(_ring.Length * 2, 256), _count + chunk.Length)));
        }

        var overflow = _count + chunk.Length - _ring.Length;
        if (overflow > 0)
        {
            // The oldest characters make room for the new ones.
            Truncated = true;
            _start = (_start + overflow) % _ring.Length;
            _count -= overflow;
        }

        var end = (_start + _count) % _ring.Length;
        var first = Math.Min(chunk.Length, _ring.Length - end);
        chunk[..first].CopyTo(_ring.AsSpan(end));
        chunk[first..].CopyTo(_ring);
        _count += chunk.Length;
    }

    /// <summary>The text kept: at most the limit's last characters.</summary>
    public override string ToString() =>
        string.Create(_count, this, static (span, tail) =>
        {
            var first = Math.Min(tail._count, tail._ring.Length - tail._start);
            tail._ring.AsSpan(tail._start, first).CopyTo(span);
            tail._ring.AsSpan(0, tail._count - first).CopyTo(span[first..]);
        });

    private void Grow(int capacity)
    {
        var ring = new char[capacity];
        var first = Math.Min(_count, _ring.Length - _start);
        _ring.AsSpan(_start, first).CopyTo(ring);
        _ring.AsSpan(0, _count - first).CopyTo(ring.AsSpan(first));
        _ring = ring;
        _start = 0;
    }
}
