#!/usr/bin/python3
"""Epoch time of LSTM_AT_400 and TRANSFORMER_2 in PyTorch-Python, for comparison with dynemo's
C++ trainer (bench/train-vs-python.sh runs both side by side).

The same models as src/models/attention-lstm.cpp and src/models/transformer.cpp, the same data
(exported by bench-train-export), and the same work per epoch as src/train/fit.cpp: shuffled
batches of 20 songs, masked MSE, RMSProp (lr 1e-3), teacher forcing for LSTM_AT; then the
validation loss with the model's own feedback, a copy of the best weights, and a checkpoint
(model + optimiser + best weights) written to disk. Written the way a researcher would write it
in PyTorch; nothing is copied from dynemo.

Usage: /usr/bin/python3 bench/train_epoch.py DATA_DIR MODEL EPOCHS THREADS
Prints one line per epoch: "epoch <k> <seconds>".
"""
import copy
import math
import os
import random
import sys
import time

import numpy as np
import torch
from torch import nn


class AttentionLstm(nn.Module):
    """LSTM encoder + additive attention, y_t = W[h_t; c_t] + W_y y_{t-1} + b (Chaki et al.)."""

    def __init__(self, n_features, hidden, n_outputs=2):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden, batch_first=True)
        self.w_a = nn.Linear(hidden, hidden, bias=False)
        self.u_a = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, 1, bias=False)
        self.out_hc = nn.Linear(2 * hidden, n_outputs)
        self.out_y = nn.Linear(n_outputs, n_outputs, bias=False)
        with torch.no_grad():
            self.out_y.weight.uniform_(-0.1, 0.1)

    def forward(self, x, mask, previous=None):
        h, _ = self.lstm(x)
        h_prev = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], 1)
        energy = self.v(torch.tanh(self.w_a(h_prev).unsqueeze(2) + self.u_a(h).unsqueeze(1)))
        energy = energy.squeeze(-1)
        allowed = mask.unsqueeze(1).expand_as(energy)
        energy = energy.masked_fill(~allowed, -1e9)
        alpha = torch.softmax(energy, -1) * allowed.float()
        context = torch.bmm(alpha, h)
        base = self.out_hc(torch.cat([h, context], -1))
        if previous is not None:
            y_prev = torch.cat([torch.zeros_like(previous[:, :1]), previous[:, :-1]], 1)
            return base + self.out_y(y_prev)
        steps = [base[:, 0]]
        for t in range(1, base.shape[1]):
            steps.append(base[:, t] + self.out_y(steps[-1]))
        return torch.stack(steps, 1)


class Transformer(nn.Module):
    """Input projection, sinusoidal positions, encoder layers (d 128, 4 heads, ff 512)."""

    def __init__(self, n_features, layers, n_outputs=2, d_model=128):
        super().__init__()
        self.d_model = d_model
        self.input = nn.Linear(n_features, d_model)
        layer = nn.TransformerEncoderLayer(d_model, 4, dim_feedforward=4 * d_model, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, n_outputs)

    def forward(self, x, mask, previous=None):
        t = x.shape[1]
        position = torch.arange(t, dtype=torch.float32).unsqueeze(1)
        frequency = torch.exp(torch.arange(0, self.d_model, 2, dtype=torch.float32)
                              * (-math.log(10000.0) / self.d_model))
        angle = position * frequency.unsqueeze(0)
        pe = torch.stack([torch.sin(angle), torch.cos(angle)], -1).reshape(t, self.d_model)
        z = self.input(x) + pe.unsqueeze(0)
        z = self.encoder(z.transpose(0, 1), src_key_padding_mask=~mask).transpose(0, 1)
        return self.out(z)


def masked_mse(y, target, mask):
    m = mask.unsqueeze(-1).float()
    return ((y - target) ** 2 * m).sum() / (m.sum().clamp_min(1.0) * y.shape[2])


def main():
    data_dir, model_name, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    random.seed(42)
    x = np.load(os.path.join(data_dir, "x.npy"))
    y = np.load(os.path.join(data_dir, "y.npy"))
    lengths = [int(line) for line in open(os.path.join(data_dir, "lengths.txt"))]
    starts = np.cumsum([0] + lengths)
    songs = list(range(len(lengths)))
    random.shuffle(songs)
    n_val = math.ceil(0.1 * len(songs))
    val, train = songs[:n_val], songs[n_val:]
    frames = np.concatenate([x[starts[s]:starts[s + 1]] for s in songs])
    mean, std = frames.mean(0), frames.std(0)
    std[std < 1e-12] = 1.0
    xs = [torch.from_numpy((x[starts[s]:starts[s + 1]] - mean) / std).float() for s in range(len(lengths))]
    ys = [torch.from_numpy(y[starts[s]:starts[s + 1]]).float() for s in range(len(lengths))]

    def batch(idx):
        t = max(len(xs[i]) for i in idx)
        bx = torch.zeros(len(idx), t, x.shape[1])
        by = torch.zeros(len(idx), t, 2)
        bm = torch.zeros(len(idx), t, dtype=torch.bool)
        for k, i in enumerate(idx):
            n = len(xs[i])
            bx[k, :n], by[k, :n], bm[k, :n] = xs[i], ys[i], True
        return bx, by, bm

    if model_name == "LSTM_AT_400":
        model = AttentionLstm(x.shape[1], 400)
    elif model_name == "TRANSFORMER_2":
        model = Transformer(x.shape[1], 2)
    else:
        raise SystemExit("unknown model " + model_name)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    best_loss, best = float("inf"), None
    checkpoint = os.path.join(data_dir, "python-checkpoint.pt")
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        order = train[:]
        random.shuffle(order)
        for i in range(0, len(order), 20):
            bx, by, bm = batch(order[i:i + 20])
            optimizer.zero_grad()
            loss = masked_mse(model(bx, bm, by), by, bm)
            loss.backward()
            optimizer.step()
        model.eval()
        total, count = 0.0, 0.0
        with torch.no_grad():
            for i in range(0, len(val), 64):
                bx, by, bm = batch(val[i:i + 64])
                n = bm.sum().item()
                total += masked_mse(model(bx, bm), by, bm).item() * n
                count += n
        val_loss = total / count
        if val_loss < best_loss - 1e-4:
            best_loss, best = val_loss, copy.deepcopy(model.state_dict())
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "best": best, "epoch": epoch}, checkpoint)
        print(f"epoch {epoch} {time.perf_counter() - start:.3f}", flush=True)


if __name__ == "__main__":
    main()
